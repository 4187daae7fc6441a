package dev.switchboard.engine;

import java.util.Locale;

/** What became of one node in a run, as shown in the trace. */
public enum NodeStatus {
    /** Ran and produced outputs. */
    SUCCEEDED,
    /** Failed, and its {@code onError} policy ({@code default} or {@code edge}) let the run go on. */
    RECOVERED,
    /** Failed and ended the run ({@code onError: fail}). */
    FAILED,
    /** Not run because no incoming path was taken (a branch not chosen by a condition). */
    SKIPPED,
    /** Ended the run as {@link RunStatus#BLOCKED} (e.g. a policy). */
    BLOCKED,
    /** Waiting for a human: the run ends as {@link RunStatus#WAITING_REVIEW}. */
    SUSPENDED,
    /** Was running when the run was cancelled, timed out, or ended by another node. */
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
