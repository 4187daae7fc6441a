package dev.switchboard.app.runs;

import dev.switchboard.app.web.ApiException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Backpressure for async runs: when the queue (all replicas) holds {@code switchboard.runs.queue.max-depth}
 * runs, new ones are refused with 429 and a {@code Retry-After} estimated from how fast this process
 * drains the queue, instead of the queue growing without bound.
 *
 * <p>The depth is counted in the database every poll interval; in between, the estimate is that
 * count plus the runs accepted here minus the runs claimed here since the count began. So a count
 * that comes late (a busy maintenance thread, a slow database) does not make the estimate drift
 * upwards and refuse runs while the queue is well below its bound: it errs only by what other
 * replicas accepted or claimed since the last count. Thread-safe.
 */
@Component
class RunAdmission {

    /** The last count and the local counters' values just before it was taken. */
    private record Count(int queued, long acceptedBefore, long claimedBefore) {
    }

    private final int maxDepth;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong claimed = new AtomicLong();
    private volatile Count last = new Count(0, 0, 0);
    private final AtomicLong finished = new AtomicLong();
    private volatile long lastFinished;
    private volatile long lastCountNanos = System.nanoTime();
    /** Runs this process finished per second, smoothed. */
    private volatile double drainRate;

    RunAdmission(QueueProperties properties, MeterRegistry registry) {
        this.maxDepth = properties.maxDepth();
        Gauge.builder("switchboard.queue.depth", this, RunAdmission::depth)
                .description("Queued async runs (all replicas): the last count, plus runs accepted and minus runs claimed here since")
                .register(registry);
    }

    /** @throws ApiException 429 {@code queue-full} with Retry-After when the queue is full */
    void admit() {
        int depth = depth();
        if (depth >= maxDepth) {
            long retryAfter = retryAfterSeconds(depth);
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "queue-full", "Too many queued runs",
                    "The run queue holds " + depth + " runs (limit " + maxDepth + "); retry after " + retryAfter + " s",
                    Map.of("queued", depth, "limit", maxDepth))
                    .withHeader("Retry-After", Long.toString(retryAfter));
        }
    }

    void accepted() {
        accepted.incrementAndGet();
    }

    void claimed(int n) {
        claimed.addAndGet(n);
    }

    void finished() {
        finished.incrementAndGet();
    }

    /**
     * Counts the queue with {@code counter} (a database query) and makes that the new base of the
     * estimate. The local counters are read before the query, so a run accepted meanwhile is counted
     * at most twice (never missed), and one claimed meanwhile at most not subtracted.
     */
    void count(java.util.function.IntSupplier counter) {
        long acceptedBefore = accepted.get();
        long claimedBefore = claimed.get();
        int queued = counter.getAsInt();
        long now = System.nanoTime();
        long done = finished.get();
        double seconds = (now - lastCountNanos) / 1e9;
        if (seconds > 0) {
            double rate = (done - lastFinished) / seconds;
            drainRate = drainRate == 0 ? rate : 0.8 * drainRate + 0.2 * rate;
        }
        lastFinished = done;
        lastCountNanos = now;
        last = new Count(queued, acceptedBefore, claimedBefore);
    }

    /** A fresh count of queued runs (as {@link #count} with a known number). */
    void counted(int depth) {
        count(() -> depth);
    }

    int depth() {
        Count c = last;
        long estimate = c.queued() + (accepted.get() - c.acceptedBefore()) - (claimed.get() - c.claimedBefore());
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, estimate));
    }

    /** Seconds until the queue is back under 90 % of its limit at the current drain rate (1–60). */
    long retryAfterSeconds(int depth) {
        double excess = depth - 0.9 * maxDepth;
        double rate = Math.max(drainRate, 1.0);
        return Math.max(1, Math.min(60, (long) Math.ceil(excess / rate)));
    }
}
