package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.twilio.TwilioProperties.LongBodyPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class LongBodiesTest {

    @Test
    void aBodyWithinTheLimitIsSentAsItIs() {
        String body = "x".repeat(1600);
        assertThat(LongBodies.apply(body, LongBodyPolicy.SPLIT, 3)).containsExactly(body);
        assertThat(LongBodies.apply(body, LongBodyPolicy.TRUNCATE, 3)).containsExactly(body);
    }

    @Test
    void splitCutsAtTheLastWhitespaceBeforeTheLimit() {
        List<String> parts = LongBodies.apply("aaaa bbbb cccc dddd", LongBodyPolicy.SPLIT, 5, 10);

        assertThat(parts).containsExactly("aaaa bbbb", "cccc dddd");
    }

    @Test
    void splitCutsAWordLongerThanAMessage() {
        assertThat(LongBodies.apply("abcdefghijklmnopqrstuvwxy", LongBodyPolicy.SPLIT, 5, 10))
                .containsExactly("abcdefghij", "klmnopqrst", "uvwxy");
    }

    @Test
    void splitStopsAtMaxPartsAndMarksTheCut() {
        List<String> parts = LongBodies.apply("aaaa bbbb cccc dddd eeee ffff", LongBodyPolicy.SPLIT, 2, 10);

        assertThat(parts).containsExactly("aaaa bbbb", "cccc dddd…");
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(10));
    }

    @Test
    void truncateKeepsOneMessageEndingInAnEllipsis() {
        List<String> parts = LongBodies.apply("y".repeat(2000), LongBodyPolicy.TRUNCATE, 3);

        assertThat(parts).hasSize(1);
        assertThat(parts.getFirst()).hasSize(1600).endsWith("…").startsWith("y".repeat(1599));
    }

    @Test
    void neverCutsASurrogatePairInHalf() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        String body = "a".repeat(8) + emoji + "bbbbbbbbbb";

        List<String> split = LongBodies.apply(body, LongBodyPolicy.SPLIT, 5, 9);
        List<String> truncated = LongBodies.apply(body, LongBodyPolicy.TRUNCATE, 5, 10);

        assertThat(String.join("", split)).isEqualTo(body);
        assertThat(split).allSatisfy(p -> assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse());
        assertThat(truncated.getFirst()).isEqualTo("a".repeat(8) + "…");
    }

    @Test
    void everySplitPartOfARealisticAnswerFitsAndNothingIsLost() {
        String answer = "The quick brown fox jumps over the lazy dog. ".repeat(100).strip();

        List<String> parts = LongBodies.apply(answer, LongBodyPolicy.SPLIT, 10);

        assertThat(parts).hasSize(3);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isBetween(1, 1600));
        assertThat(String.join(" ", parts)).isEqualTo(answer);
    }
}
