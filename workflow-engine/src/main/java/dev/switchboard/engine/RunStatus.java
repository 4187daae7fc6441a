package dev.switchboard.engine;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Lifecycle of a run. The engine itself only produces {@link #RUNNING} and the outcomes
 * {@link #SUCCEEDED}, {@link #FAILED}, {@link #BLOCKED}, {@link #TIMED_OUT}, {@link #CANCELLED}
 * and {@link #WAITING_REVIEW}; the app adds {@link #QUEUED} and {@link #REJECTED} through
 * persistence. {@link #next()} is the complete transition table.
 */
public enum RunStatus {
    QUEUED,
    RUNNING,
    WAITING_REVIEW,
    SUCCEEDED,
    FAILED,
    BLOCKED,
    REJECTED,
    TIMED_OUT,
    CANCELLED;

    /** The states this one may move to; empty for final states. */
    public Set<RunStatus> next() {
        return switch (this) {
            // a queued run is claimed, cancelled, or failed before it starts (e.g. app deleted)
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            // RUNNING -> QUEUED: a worker lost its lease and the run is re-queued for durable resume
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, BLOCKED, TIMED_OUT, CANCELLED, WAITING_REVIEW, QUEUED);
            // approve/edit resumes the run; reject ends it; review timeouts and cancel end it too
            case WAITING_REVIEW -> EnumSet.of(RUNNING, QUEUED, REJECTED, CANCELLED, TIMED_OUT);
            case SUCCEEDED, FAILED, BLOCKED, REJECTED, TIMED_OUT, CANCELLED -> EnumSet.noneOf(RunStatus.class);
        };
    }

    public boolean canMoveTo(RunStatus target) {
        return next().contains(target);
    }

    /** True for the six final states. */
    public boolean isFinal() {
        return next().isEmpty();
    }

    /** Lower-case wire name, e.g. {@code "waiting_review"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
