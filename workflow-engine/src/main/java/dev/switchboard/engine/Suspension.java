package dev.switchboard.engine;

import java.util.Map;
import java.util.Objects;

/**
 * A node that asked for a human ({@link NodeResult#suspend}). The app persists it with the run's
 * checkpoints, opens a review task, and later resumes by starting a run whose
 * {@link RunRequest#checkpoints()} hold the earlier checkpoints plus this node's result.
 */
public record Suspension(String nodeId, String reason, Map<String, Object> payload) {
    public Suspension {
        Objects.requireNonNull(nodeId, "nodeId");
        payload = payload == null ? Map.of() : Values.copyMap(payload);
    }
}
