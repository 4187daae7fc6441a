package dev.switchboard.app.runs;

import dev.switchboard.app.web.ApiException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Backpressure for async runs: when the queue (all replicas) holds {@code switchboard.runs.queue.max-depth}
 * runs, new ones are refused with 429 and a {@code Retry-After} estimated from how fast this process
 * drains the queue, instead of the queue growing without bound.
 *
 * <p>The depth is counted in the database every poll interval and advanced locally by each run
 * accepted here in between, so the bound holds to within what other replicas accept in one poll
 * interval. Thread-safe.
 */
@Component
class RunAdmission {

    private final int maxDepth;
    private volatile int counted;
    private final AtomicInteger acceptedSinceCount = new AtomicInteger();
    private final AtomicLong finished = new AtomicLong();
    private volatile long lastFinished;
    private volatile long lastCountNanos = System.nanoTime();
    /** Runs this process finished per second, smoothed. */
    private volatile double drainRate;

    RunAdmission(QueueProperties properties, MeterRegistry registry) {
        this.maxDepth = properties.maxDepth();
        Gauge.builder("switchboard.queue.depth", this, RunAdmission::depth)
                .description("Queued async runs (all replicas), as last counted plus those accepted here since")
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
        acceptedSinceCount.incrementAndGet();
    }

    void finished() {
        finished.incrementAndGet();
    }

    /** A fresh count of queued runs. */
    void counted(int depth) {
        long now = System.nanoTime();
        long done = finished.get();
        double seconds = (now - lastCountNanos) / 1e9;
        if (seconds > 0) {
            double rate = (done - lastFinished) / seconds;
            drainRate = drainRate == 0 ? rate : 0.8 * drainRate + 0.2 * rate;
        }
        lastFinished = done;
        lastCountNanos = now;
        counted = depth;
        acceptedSinceCount.set(0);
    }

    int depth() {
        return counted + acceptedSinceCount.get();
    }

    /** Seconds until the queue is back under 90 % of its limit at the current drain rate (1–60). */
    long retryAfterSeconds(int depth) {
        double excess = depth - 0.9 * maxDepth;
        double rate = Math.max(drainRate, 1.0);
        return Math.max(1, Math.min(60, (long) Math.ceil(excess / rate)));
    }
}
