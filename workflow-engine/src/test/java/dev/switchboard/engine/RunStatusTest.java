package dev.switchboard.engine;

import static dev.switchboard.engine.RunStatus.BLOCKED;
import static dev.switchboard.engine.RunStatus.CANCELLED;
import static dev.switchboard.engine.RunStatus.FAILED;
import static dev.switchboard.engine.RunStatus.QUEUED;
import static dev.switchboard.engine.RunStatus.REJECTED;
import static dev.switchboard.engine.RunStatus.RUNNING;
import static dev.switchboard.engine.RunStatus.SUCCEEDED;
import static dev.switchboard.engine.RunStatus.TIMED_OUT;
import static dev.switchboard.engine.RunStatus.WAITING_REVIEW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunStatusTest {

    /** Every allowed transition, written out. Anything not listed is forbidden. */
    private static final List<List<RunStatus>> ALLOWED = List.of(
            List.of(QUEUED, RUNNING), List.of(QUEUED, CANCELLED), List.of(QUEUED, FAILED),
            List.of(RUNNING, SUCCEEDED), List.of(RUNNING, FAILED), List.of(RUNNING, BLOCKED), List.of(RUNNING, TIMED_OUT),
            List.of(RUNNING, CANCELLED), List.of(RUNNING, WAITING_REVIEW), List.of(RUNNING, QUEUED),
            List.of(WAITING_REVIEW, RUNNING), List.of(WAITING_REVIEW, QUEUED), List.of(WAITING_REVIEW, REJECTED),
            List.of(WAITING_REVIEW, CANCELLED), List.of(WAITING_REVIEW, TIMED_OUT));

    @Test
    void transitionTableIsExactlyTheListedOne() {
        Set<List<RunStatus>> actual = new HashSet<>();
        for (RunStatus from : RunStatus.values()) {
            for (RunStatus to : RunStatus.values()) {
                if (from.canMoveTo(to)) {
                    actual.add(List.of(from, to));
                }
            }
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(ALLOWED);
    }

    @Test
    void finalStatesAreTheSixOutcomes() {
        assertThat(EnumSet.allOf(RunStatus.class).stream().filter(RunStatus::isFinal))
                .containsExactlyInAnyOrder(SUCCEEDED, FAILED, BLOCKED, REJECTED, TIMED_OUT, CANCELLED);
    }

    @Test
    void wireNamesAreLowerSnakeCase() {
        assertThat(WAITING_REVIEW.wireName()).isEqualTo("waiting_review");
        assertThat(RunStatus.fromWireName("timed_out")).isEqualTo(TIMED_OUT);
    }
}
