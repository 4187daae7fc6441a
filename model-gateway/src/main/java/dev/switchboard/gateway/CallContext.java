package dev.switchboard.gateway;

import java.time.Instant;
import java.util.Map;

/**
 * Who is calling and until when. Passed explicitly to every call (no thread-locals).
 *
 * @param workspaceId the tenant: budgets, workspace rate limits, credentials and cache entries are per workspace
 * @param deadline    when the caller stops waiting (null: only the configured timeouts apply); retries and
 *                    fallbacks are not started when they cannot finish before it
 * @param attributes  free-form labels for logs (appId, runId, nodeId...); never used as metric tags
 */
public record CallContext(String workspaceId, Instant deadline, Map<String, String> attributes) {

    /** The workspace used when a caller names none. */
    public static final String DEFAULT_WORKSPACE = "default";

    public CallContext {
        if (workspaceId == null || workspaceId.isBlank()) {
            workspaceId = DEFAULT_WORKSPACE;
        }
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    public static CallContext of(String workspaceId) {
        return new CallContext(workspaceId, null, Map.of());
    }

    public static CallContext defaults() {
        return of(DEFAULT_WORKSPACE);
    }

    public CallContext withDeadline(Instant newDeadline) {
        return new CallContext(workspaceId, newDeadline, attributes);
    }
}
