package dev.switchboard.gptj.internal.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of compute threads that run one parallel loop at a time. Work is handed out in small
 * items from a shared counter, so a thread slowed by other processes on the machine just takes fewer
 * items. The calling thread works too; {@link #run} returns when every item is done.
 *
 * <p>Not reentrant, and one caller at a time (the engine drives it from its single batching thread).
 */
public final class ComputePool implements AutoCloseable {

    /** A body of a parallel loop: processes item {@code i}. */
    @FunctionalInterface
    public interface Items {
        void run(int item);
    }

    /** A body that also learns which thread runs it ({@code 0 .. threads()-1}), to use per-thread scratch. */
    @FunctionalInterface
    public interface WorkerItems {
        void run(int item, int worker);
    }

    /** Spin-wait rounds before a worker parks: covers the gap between loops of one forward pass. */
    private static final int SPINS = 300;

    private final Thread[] workers;
    private final AtomicReference<Job> job = new AtomicReference<>();
    private volatile boolean closed;

    private static final class Job {
        final WorkerItems body;
        final int count;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final Thread owner;
        volatile Throwable failure;

        Job(WorkerItems body, int count, Thread owner) {
            this.body = body;
            this.count = count;
            this.owner = owner;
        }

        void work(int worker) {
            int i;
            while ((i = next.getAndIncrement()) < count) {
                try {
                    if (failure == null) {
                        body.run(i, worker);
                    }
                } catch (Throwable t) {
                    failure = t;
                }
                if (done.incrementAndGet() == count) {
                    LockSupport.unpark(owner);
                }
            }
        }
    }

    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int t = 0; t < workers.length; t++) {
            int index = t + 1;
            workers[t] = Thread.ofPlatform().daemon().name("gptj-compute-" + index).start(() -> workerLoop(index));
        }
    }

    public int threads() {
        return workers.length + 1;
    }

    /** Runs {@code body} for items {@code 0..count-1} on all threads; rethrows the first failure. */
    public void run(int count, Items body) {
        run(count, (item, worker) -> body.run(item));
    }

    /** As {@link #run(int, Items)}, telling the body which thread runs each item. */
    public void run(int count, WorkerItems body) {
        if (count <= 0) {
            return;
        }
        if (workers.length == 0 || count == 1) {
            for (int i = 0; i < count; i++) {
                body.run(i, 0);
            }
            return;
        }
        Job j = new Job(body, count, Thread.currentThread());
        job.set(j);
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        j.work(0);
        while (j.done.get() < count) {
            LockSupport.park(this);
        }
        job.compareAndSet(j, null);
        if (j.failure != null) {
            if (j.failure instanceof RuntimeException re) {
                throw re;
            }
            if (j.failure instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(j.failure);
        }
    }

    private void workerLoop(int index) {
        Job last = null;
        while (!closed) {
            Job j = job.get();
            if (j != null && j != last) {
                last = j;
                j.work(index);
                continue;
            }
            // Spin briefly: during a forward pass the next loop follows within microseconds.
            boolean found = false;
            for (int spin = 0; spin < SPINS && !closed; spin++) {
                Job k = job.get();
                if (k != null && k != last) {
                    found = true;
                    break;
                }
                Thread.onSpinWait();
            }
            if (!found) {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
