package dev.switchboard.engine;

import java.util.Map;
import java.util.Objects;

/**
 * Who a run belongs to and where it came from; handed to node executors and the
 * {@link ModelClient} (for budgets, rate limits, logging).
 *
 * @param source     what started it, e.g. {@code api}, {@code stream}, {@code twilio}, {@code share}
 * @param attributes anything else the app wants nodes to see (plain values)
 */
public record RunContext(String runId, String workspaceId, String appId, String source,
                         Map<String, Object> attributes) {
    public RunContext {
        Objects.requireNonNull(runId, "runId");
        if (runId.isBlank()) {
            throw new IllegalArgumentException("runId must not be blank");
        }
        attributes = Values.copyMap(attributes);
    }

    public static RunContext of(String runId) {
        return new RunContext(runId, null, null, null, Map.of());
    }
}
