package dev.switchboard.app.runs;

import dev.switchboard.app.apps.RunTargets.VersionSelector;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to run an app, from any trigger (REST API, share page, Twilio webhook, test suite).
 *
 * @param allowDraft whether the draft may run: only for the authenticated API
 * @param trigger trigger data, exposed to the graph as {@code {{trigger.*}}}
 * @param apiKeyId the key that asked, or null
 * @param timeout how long the run may take before it ends {@code timed_out}; null: the configured
 *     {@code switchboard.runs.deadline}
 */
public record RunStart(UUID workspaceId, UUID appId, VersionSelector version, boolean allowDraft,
        Map<String, Object> inputs, Map<String, Object> trigger, RunSource source, UUID apiKeyId,
        java.time.Duration timeout) {

    /** A start with the configured deadline. */
    public RunStart(UUID workspaceId, UUID appId, VersionSelector version, boolean allowDraft,
            Map<String, Object> inputs, Map<String, Object> trigger, RunSource source, UUID apiKeyId) {
        this(workspaceId, appId, version, allowDraft, inputs, trigger, source, apiKeyId, null);
    }

    public RunStart {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be > 0");
        }
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(source, "source");
        inputs = inputs == null ? Map.of() : inputs;
        trigger = trigger == null ? Map.of() : trigger;
    }
}
