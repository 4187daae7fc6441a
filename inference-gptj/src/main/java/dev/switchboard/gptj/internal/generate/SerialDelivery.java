package dev.switchboard.gptj.internal.generate;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one request's listener calls in order, one at a time, on a virtual thread, so the batching
 * thread never waits for a listener (a slow client slows only its own stream).
 */
final class SerialDelivery {

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    void post(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("gptj-delivery").start(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Runnable t;
            while ((t = tasks.poll()) != null) {
                t.run();
            }
            draining.set(false);
            if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
