package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.UsageView;
import java.time.Instant;
import java.util.Map;

/**
 * One node's trace entry as stored (and, when finished, its checkpoint).
 *
 * @param seq order in which nodes started (skipped nodes: when they were skipped)
 * @param status {@code running} while in flight, else the engine's node status
 *     ({@code succeeded, recovered, failed, skipped, blocked, suspended, cancelled})
 * @param result the engine's checkpoint ({@code NodeResult}) as JSON-ready map, null unless finished
 */
public record NodeTrace(String nodeId, int seq, String type, String status, int attempts, Map<String, Object> inputs,
        Map<String, Object> outputs, UsageView usage, Map<String, Object> error, Instant startedAt, Double latencyMs) {
}
