package dev.switchboard.engine.internal;

import dev.switchboard.engine.Cancellation;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupt discipline for one node attempt (or one backoff wait) running on {@code thread}.
 * A timeout or cancellation interrupts the thread only while the attempt is running, under the
 * guard's lock; {@link #finish()} (called by that thread) closes the window and clears an
 * interrupt that arrived, so no stray interrupt ever leaks into the next node or the caller.
 */
final class AttemptGuard implements Cancellation {

    static final int RUNNING = 0;
    static final int DONE = 1;
    static final int TIMED_OUT = 2;
    static final int CANCELLED = 3;

    private static final Logger LOG = LoggerFactory.getLogger(AttemptGuard.class);

    private final Thread thread;
    private int state = RUNNING;
    private List<Runnable> callbacks;

    AttemptGuard(Thread thread) {
        this.thread = thread;
    }

    /** Timer callback: the attempt ran out of time. */
    void timeout() {
        stop(TIMED_OUT);
    }

    /** The run was cancelled, timed out, or ended by another node. */
    void cancel() {
        stop(CANCELLED);
    }

    private void stop(int newState) {
        List<Runnable> toRun;
        synchronized (this) {
            if (state != RUNNING) {
                return;
            }
            state = newState;
            thread.interrupt();
            toRun = callbacks;
            callbacks = null;
        }
        if (toRun != null) {
            toRun.forEach(AttemptGuard::runQuietly);
        }
    }

    /** Ends the attempt; must be called by the guarded thread. Returns the final state. */
    synchronized int finish() {
        int s = state;
        if (s == RUNNING) {
            state = DONE;
        } else {
            Thread.interrupted(); // consume the interrupt we delivered
        }
        callbacks = null;
        return s;
    }

    @Override
    public synchronized boolean isCancelled() {
        return state == TIMED_OUT || state == CANCELLED;
    }

    @Override
    public void onCancel(Runnable action) {
        synchronized (this) {
            if (state == RUNNING || state == DONE) {
                if (state == RUNNING) {
                    if (callbacks == null) {
                        callbacks = new ArrayList<>(2);
                    }
                    callbacks.add(action);
                }
                return;
            }
        }
        runQuietly(action);
    }

    private static void runQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("onCancel callback failed", e);
        }
    }
}
