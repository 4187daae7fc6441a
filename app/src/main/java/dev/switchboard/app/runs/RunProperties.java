package dev.switchboard.app.runs;

import static dev.switchboard.app.support.PropertyChecks.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param deadline a run still going after this long ends {@code timed_out}
 * @param syncPersistAfter a sync run still going after this long is written as {@code running}
 *     (visible, recoverable) and checkpointed from then on; faster runs are written once, final
 * @param asyncConcurrency async runs executing at once in this process (more wait, {@code queued})
 * @param shutdownGrace how long shutdown waits for in-flight runs before handing them back to the queue
 * @param maxConcurrentWrites run writes (final states, checkpoints) in flight at once; 0: twice the
 *     number of cores
 * @param maxDeadline the longest {@code timeout} a run request may ask for
 */
@ConfigurationProperties("switchboard.runs")
public record RunProperties(@DefaultValue("10m") Duration deadline, @DefaultValue("200ms") Duration syncPersistAfter,
        @DefaultValue("256") int asyncConcurrency, @DefaultValue("20s") Duration shutdownGrace,
        @DefaultValue("0") int maxConcurrentWrites, @DefaultValue("24h") Duration maxDeadline) {
    public RunProperties {
        positive(deadline, "switchboard.runs.deadline");
        positive(syncPersistAfter, "switchboard.runs.sync-persist-after");
        positive(shutdownGrace, "switchboard.runs.shutdown-grace");
        positive(maxDeadline, "switchboard.runs.max-deadline");
        if (deadline.compareTo(maxDeadline) > 0) {
            throw new IllegalArgumentException("switchboard.runs.deadline must not exceed switchboard.runs.max-deadline");
        }
        if (maxConcurrentWrites < 0) {
            throw new IllegalArgumentException("switchboard.runs.max-concurrent-writes must be >= 0, was " + maxConcurrentWrites);
        }
        if (maxConcurrentWrites == 0) {
            maxConcurrentWrites = 2 * Runtime.getRuntime().availableProcessors();
        }
        if (asyncConcurrency < 1) {
            throw new IllegalArgumentException("switchboard.runs.async-concurrency must be >= 1, was " + asyncConcurrency);
        }
    }
}
