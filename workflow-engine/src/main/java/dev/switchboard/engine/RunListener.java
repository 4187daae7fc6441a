package dev.switchboard.engine;

import java.util.List;
import java.util.function.Consumer;

/**
 * Receives a run's events (see {@link RunEvent} for their order).
 *
 * <p>Threading: for one run the engine never calls the listener concurrently, and each call
 * happens-before the next, so an implementation needs no locking for per-run state (it may be
 * called from different threads). Calls are synchronous: a slow listener slows the run. An
 * exception thrown by a listener is logged and ignored; it never changes the run's outcome or
 * leaves it unfinished. Events of a run that already ended (e.g. from a node that ignored
 * cancellation) are dropped.
 */
public interface RunListener {

    RunListener NOOP = new RunListener() {
    };

    default void onRunStarted(RunEvent.RunStarted event) {
    }

    default void onNodeStarted(RunEvent.NodeStarted event) {
    }

    default void onNodeFinished(RunEvent.NodeFinished event) {
    }

    default void onNodeFailed(RunEvent.NodeFailed event) {
    }

    default void onNodeSkipped(RunEvent.NodeSkipped event) {
    }

    default void onTokenDelta(RunEvent.TokenDelta event) {
    }

    default void onRunFinished(RunEvent.RunFinished event) {
    }

    /** Dispatches to the method for the event's type. */
    default void on(RunEvent event) {
        switch (event) {
            case RunEvent.RunStarted e -> onRunStarted(e);
            case RunEvent.NodeStarted e -> onNodeStarted(e);
            case RunEvent.NodeFinished e -> onNodeFinished(e);
            case RunEvent.NodeFailed e -> onNodeFailed(e);
            case RunEvent.NodeSkipped e -> onNodeSkipped(e);
            case RunEvent.TokenDelta e -> onTokenDelta(e);
            case RunEvent.RunFinished e -> onRunFinished(e);
        }
    }

    /** A listener that hands every event to {@code consumer} (e.g. an SSE writer). */
    static RunListener of(Consumer<? super RunEvent> consumer) {
        return new RunListener() {
            @Override
            public void on(RunEvent event) {
                consumer.accept(event);
            }
        };
    }

    /** Calls each listener in order; one throwing does not stop the others. */
    static RunListener compose(RunListener... listeners) {
        List<RunListener> all = List.of(listeners);
        return new RunListener() {
            @Override
            public void on(RunEvent event) {
                RuntimeException first = null;
                for (RunListener l : all) {
                    try {
                        l.on(event);
                    } catch (RuntimeException e) {
                        if (first == null) {
                            first = e;
                        } else {
                            first.addSuppressed(e);
                        }
                    }
                }
                if (first != null) {
                    throw first;
                }
            }
        };
    }
}
