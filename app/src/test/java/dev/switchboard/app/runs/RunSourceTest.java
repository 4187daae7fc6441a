package dev.switchboard.app.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RunSourceTest {

    @Test
    void aFullQueueNeverRefusesATwilioMessageWhichTwilioWouldNotRedeliver() {
        assertThat(Arrays.stream(RunSource.values()).filter(s -> !s.refusableWhenQueueFull()))
                .containsExactly(RunSource.TWILIO);
    }

    @Test
    void wireNamesAreTheLowerCaseNames() {
        assertThat(Arrays.stream(RunSource.values()).map(RunSource::wireName))
                .containsExactly("api", "share", "twilio", "test");
    }
}
