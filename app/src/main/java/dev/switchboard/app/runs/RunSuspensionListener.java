package dev.switchboard.app.runs;

import java.util.List;

/**
 * Told when a run has been recorded as {@code waiting_review} (a node suspended it for a person).
 * Declare a bean of this type to act on it, e.g. open review tasks. Called after the run's row
 * was written, on the thread that wrote it; an exception is logged and does not undo the write,
 * so implementations must be idempotent and have a way to catch up (the review module sweeps
 * waiting runs without tasks).
 */
public interface RunSuspensionListener {

    /**
     * @param trace the run's stored trace; entries with status {@code suspended} carry the
     *     suspension ({@code NodeResult.Suspended}) as their checkpoint
     */
    void onWaitingReview(RunRecord run, List<NodeTrace> trace);
}
