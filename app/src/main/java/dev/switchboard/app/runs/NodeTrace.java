package dev.switchboard.app.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.switchboard.app.runs.RunViews.NodeTraceView;
import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.engine.NodeResult;
import java.time.Instant;
import java.util.Map;

/**
 * One node's trace entry as stored (in {@code runs.trace} and {@code run_nodes}).
 *
 * @param seq order in which nodes started (skipped nodes: when they were skipped)
 * @param status {@code running} while in flight, else the engine's node status
 *     ({@code succeeded, recovered, failed, skipped, blocked, suspended, cancelled})
 * @param checkpoint the engine's result of a finished node — what a resumed run is given back
 *     so it does not run the node again; null unless finished
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeTrace(String nodeId, int seq, String type, String status, int attempts, Map<String, Object> inputs,
        Map<String, Object> outputs, UsageView usage, Map<String, Object> error, Instant startedAt, Double latencyMs,
        NodeResult checkpoint) {

    NodeTraceView view() {
        return new NodeTraceView(nodeId, type, status, inputs, outputs, startedAt, latencyMs, attempts, usage, error);
    }
}
