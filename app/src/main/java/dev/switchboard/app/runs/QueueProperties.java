package dev.switchboard.app.runs;

import static dev.switchboard.app.support.PropertyChecks.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The durable run queue ({@code switchboard.runs.queue.*}).
 *
 * @param lease how long a claim on a run lasts without a heartbeat; after it another replica may
 *     take the run over (the time a crashed replica's runs wait before they resume elsewhere)
 * @param heartbeat how often a process extends the leases of the runs it executes (well below
 *     {@code lease})
 * @param pollInterval how often an idle worker looks for queued runs it was not told about (runs
 *     accepted by other replicas) and for cancel requests of its runs
 * @param claimBatch most runs claimed by one statement
 * @param maxDepth queued runs beyond which new async runs are refused (429 with Retry-After)
 * @param maxRecoveries a run whose process died this many times is failed, not re-queued again
 *     (poison-run limit)
 * @param reaperInterval how often each replica looks for runs whose lease or deadline expired
 */
@ConfigurationProperties("switchboard.runs.queue")
public record QueueProperties(@DefaultValue("30s") Duration lease, @DefaultValue("5s") Duration heartbeat,
        @DefaultValue("250ms") Duration pollInterval, @DefaultValue("64") int claimBatch,
        @DefaultValue("10000") int maxDepth, @DefaultValue("3") int maxRecoveries,
        @DefaultValue("5s") Duration reaperInterval) {

    public QueueProperties {
        positive(lease, "switchboard.runs.queue.lease");
        positive(heartbeat, "switchboard.runs.queue.heartbeat");
        positive(pollInterval, "switchboard.runs.queue.poll-interval");
        positive(reaperInterval, "switchboard.runs.queue.reaper-interval");
        if (heartbeat.compareTo(lease.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("switchboard.runs.queue.heartbeat must be at most half of lease ("
                    + lease + "), was " + heartbeat);
        }
        if (claimBatch < 1) {
            throw new IllegalArgumentException("switchboard.runs.queue.claim-batch must be >= 1, was " + claimBatch);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("switchboard.runs.queue.max-depth must be >= 1, was " + maxDepth);
        }
        if (maxRecoveries < 1) {
            throw new IllegalArgumentException("switchboard.runs.queue.max-recoveries must be >= 1, was " + maxRecoveries);
        }
    }
}
