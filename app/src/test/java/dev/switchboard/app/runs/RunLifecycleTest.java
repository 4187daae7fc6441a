package dev.switchboard.app.runs;

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

import dev.switchboard.engine.RunStatus;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lists every allowed transition of a persisted run; everything else is refused. */
class RunLifecycleTest {

    record Transition(RunStatus from, RunStatus to) {
    }

    private static final Set<Transition> ALLOWED = Set.of(
            new Transition(QUEUED, RUNNING),
            new Transition(QUEUED, CANCELLED),
            new Transition(QUEUED, FAILED),
            new Transition(RUNNING, SUCCEEDED),
            new Transition(RUNNING, FAILED),
            new Transition(RUNNING, BLOCKED),
            new Transition(RUNNING, TIMED_OUT),
            new Transition(RUNNING, CANCELLED),
            new Transition(RUNNING, WAITING_REVIEW),
            new Transition(RUNNING, QUEUED),
            new Transition(WAITING_REVIEW, RUNNING),
            new Transition(WAITING_REVIEW, QUEUED),
            new Transition(WAITING_REVIEW, REJECTED),
            new Transition(WAITING_REVIEW, CANCELLED),
            new Transition(WAITING_REVIEW, TIMED_OUT));

    @Test
    void allowsExactlyTheListedTransitions() {
        Set<Transition> actual = new HashSet<>();
        for (RunStatus from : RunStatus.values()) {
            for (RunStatus to : RunStatus.values()) {
                if (RunLifecycle.allowed(from, to)) {
                    actual.add(new Transition(from, to));
                }
            }
        }
        assertThat(actual).isEqualTo(ALLOWED);
    }

    @Test
    void finalStatesAreNeverLeft() {
        for (RunStatus status : List.of(SUCCEEDED, FAILED, BLOCKED, REJECTED, TIMED_OUT, CANCELLED)) {
            assertThat(status.isFinal()).isTrue();
            for (RunStatus to : RunStatus.values()) {
                assertThat(RunLifecycle.allowed(status, to)).as("%s -> %s", status, to).isFalse();
            }
        }
    }

    @Test
    void sqlGuardsAreThePredecessorsOfEachTarget() {
        assertThat(RunLifecycle.predecessors(SUCCEEDED)).isEqualTo(EnumSet.of(RUNNING));
        assertThat(RunLifecycle.predecessors(FAILED)).isEqualTo(EnumSet.of(QUEUED, RUNNING));
        assertThat(RunLifecycle.predecessors(CANCELLED)).isEqualTo(EnumSet.of(QUEUED, RUNNING, WAITING_REVIEW));
        assertThat(RunLifecycle.predecessors(RUNNING)).isEqualTo(EnumSet.of(QUEUED, WAITING_REVIEW));
        assertThat(RunLifecycle.predecessors(REJECTED)).isEqualTo(EnumSet.of(WAITING_REVIEW));
        assertThat(RunLifecycle.predecessorNames(TIMED_OUT)).containsExactlyInAnyOrder("running", "waiting_review");
        assertThat(RunLifecycle.INITIAL).containsExactlyInAnyOrder(QUEUED, RUNNING);
        assertThat(RunLifecycle.unfinishedNames()).containsExactly("queued", "running", "waiting_review");
    }
}
