package dev.switchboard.engine;

/**
 * Cancellation of a run or a node attempt (cancel, run deadline, node timeout, or another node
 * ending the run). The engine also interrupts the thread running the node, so blocking code that
 * honours interrupts needs nothing more; {@link #onCancel} is for code that must abort something
 * explicitly (e.g. an async HTTP exchange).
 */
public interface Cancellation {

    boolean isCancelled();

    /** Runs {@code action} once when cancelled (immediately if already cancelled). Must be cheap and not block. */
    void onCancel(Runnable action);

    /** Never cancelled; for tests and direct calls. */
    Cancellation NONE = new Cancellation() {
        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable action) {
        }
    };
}
