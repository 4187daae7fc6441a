package dev.switchboard.gptj.internal.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopMatcherTest {

    @Test
    void holdsBackAPossibleStartAndReleasesItWhenItIsNot() {
        StopMatcher m = new StopMatcher(List.of("\n\nUser:"));
        assertThat(m.push("Hello")).isEqualTo("Hello");
        assertThat(m.push(" there\n")).isEqualTo(" there");
        assertThat(m.push("\nUs")).isEmpty();
        assertThat(m.push("a")).isEqualTo("\n\nUsa");
        assertThat(m.stopped()).isFalse();
        assertThat(m.push("!\n")).isEqualTo("!");
        assertThat(m.flush()).isEqualTo("\n");
    }

    @Test
    void cutsAtTheEarliestStopAcrossPushes() {
        StopMatcher m = new StopMatcher(List.of("END", "ND!"));
        assertThat(m.push("abcE")).isEqualTo("abc");
        assertThat(m.push("ND! more")).isEmpty();
        assertThat(m.stopped()).isTrue();
        assertThat(m.push("later")).isEmpty();
        assertThat(m.flush()).isEmpty();
    }

    @Test
    void withoutStopsEverythingPassesThrough() {
        StopMatcher m = new StopMatcher(List.of());
        assertThat(m.push("a\n")).isEqualTo("a\n");
        assertThat(m.flush()).isEmpty();
    }
}
