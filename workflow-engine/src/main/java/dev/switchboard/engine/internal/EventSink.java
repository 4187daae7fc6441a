package dev.switchboard.engine.internal;

import dev.switchboard.engine.RunEvent;
import dev.switchboard.engine.RunListener;
import dev.switchboard.engine.RunOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one run's events: one at a time (a lock), listener exceptions logged and swallowed,
 * nothing after {@code RunFinished}, and the outcome future completed exactly once, after the
 * listener saw {@code RunFinished}.
 */
final class EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(EventSink.class);

    private final RunListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();

    EventSink(RunListener listener) {
        this.listener = listener;
    }

    CompletableFuture<RunOutcome> outcome() {
        return outcome;
    }

    boolean isFinished() {
        return finished.get();
    }

    void emit(RunEvent event) {
        if (finished.get()) {
            return;
        }
        lock.lock();
        try {
            if (!finished.get()) {
                deliver(event);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Reports the outcome once; later calls do nothing. With {@code force} (watchdog) it does not
     * wait forever for a listener call that hangs: the future completes regardless.
     */
    boolean finish(RunOutcome result, boolean force) {
        boolean locked;
        if (force) {
            try {
                locked = lock.tryLock(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                locked = false;
            }
        } else {
            lock.lock();
            locked = true;
        }
        try {
            if (!finished.compareAndSet(false, true)) {
                return false;
            }
            if (locked) {
                deliver(new RunEvent.RunFinished(result));
            } else {
                LOG.warn("run {}: listener is blocked; completing the outcome without RunFinished", result.runId());
            }
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
        outcome.complete(result);
        return true;
    }

    private void deliver(RunEvent event) {
        try {
            listener.on(event);
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            LOG.warn("run {}: listener failed on {}", event.runId(), event.getClass().getSimpleName(), e);
        }
    }
}
