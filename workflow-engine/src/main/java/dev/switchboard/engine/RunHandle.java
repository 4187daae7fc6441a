package dev.switchboard.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** A run in progress. Thread-safe. */
public interface RunHandle {

    String runId();

    /**
     * Requests cancellation: in-flight nodes are interrupted and the run ends {@link RunStatus#CANCELLED}
     * (unless it already ended). Idempotent; returns immediately.
     */
    void cancel();

    /** Completes (never exceptionally) with the single outcome, after the listener saw {@code RunFinished}. */
    CompletableFuture<RunOutcome> outcome();

    /** Waits for the outcome. */
    RunOutcome await(Duration timeout) throws InterruptedException, TimeoutException;

    default boolean isDone() {
        return outcome().isDone();
    }
}
