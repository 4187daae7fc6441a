package dev.switchboard.gptj.internal.generate;

import static dev.switchboard.gptj.internal.generate.SequenceState.DECODING;
import static dev.switchboard.gptj.internal.generate.SequenceState.FINISHED;
import static dev.switchboard.gptj.internal.generate.SequenceState.PREFILLING;
import static dev.switchboard.gptj.internal.generate.SequenceState.QUEUED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every transition of the request lifecycle, allowed or not. */
class SequenceStateTest {

    private static final Set<String> ALLOWED = Set.of(
            "QUEUED->PREFILLING", "QUEUED->FINISHED",
            "PREFILLING->PREFILLING", "PREFILLING->DECODING", "PREFILLING->FINISHED",
            "DECODING->DECODING", "DECODING->FINISHED");

    @Test
    void transitionTable() {
        for (SequenceState from : SequenceState.values()) {
            for (SequenceState to : SequenceState.values()) {
                String t = from + "->" + to;
                assertThat(from.canMoveTo(to)).as(t).isEqualTo(ALLOWED.contains(t));
                if (ALLOWED.contains(t)) {
                    assertThat(from.moveTo(to)).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> from.moveTo(to)).isInstanceOf(IllegalStateException.class).hasMessageContaining("from " + from + " to " + to);
                }
            }
        }
        assertThat(ALLOWED).hasSize(7);
        assertThat(QUEUED.canMoveTo(DECODING)).isFalse();
        assertThat(FINISHED.canMoveTo(PREFILLING)).isFalse();
    }
}
