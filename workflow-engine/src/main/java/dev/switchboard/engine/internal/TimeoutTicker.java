package dev.switchboard.engine.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Coarse timers for node timeouts, run deadlines and cancellation grace periods. Arming and
 * disarming is a concurrent-set add/remove (no lock, no cross-thread wakeup under load); one
 * daemon thread scans the armed timers every {@link #TICK_NANOS} and fires the expired ones, so a
 * timer fires up to one tick late. The thread parks while nothing is armed.
 */
final class TimeoutTicker implements AutoCloseable {

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** An armed timer. {@link #fire()} runs on the ticker thread and must be quick. */
    abstract static class Timer {
        private final long deadlineNanos;

        Timer(long delayNanos) {
            this.deadlineNanos = System.nanoTime() + delayNanos;
        }

        abstract void fire();
    }

    private final Set<Timer> armed = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean idle;
    private volatile boolean closed;

    TimeoutTicker(String name) {
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
        thread.start();
    }

    /** Arms a timer that runs {@code action} after {@code delayNanos}; returns it for {@link #disarm}. */
    Timer arm(long delayNanos, Runnable action) {
        Timer t = new Timer(delayNanos) {
            @Override
            void fire() {
                action.run();
            }
        };
        arm(t);
        return t;
    }

    void arm(Timer timer) {
        armed.add(timer);
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    void disarm(Timer timer) {
        if (timer != null) {
            armed.remove(timer);
        }
    }

    private void loop() {
        while (!closed) {
            if (armed.isEmpty()) {
                idle = true;
                if (armed.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(this, TICK_NANOS);
            long now = System.nanoTime();
            for (Timer t : armed) {
                if (now - t.deadlineNanos >= 0 && armed.remove(t)) {
                    try {
                        t.fire();
                    } catch (RuntimeException e) {
                        org.slf4j.LoggerFactory.getLogger(TimeoutTicker.class).warn("timer action failed", e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }
}
