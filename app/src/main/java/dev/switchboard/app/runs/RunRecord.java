package dev.switchboard.app.runs;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The immutable facts of a run, fixed when it is accepted.
 *
 * @param version published version that runs, or null for the draft
 * @param draftRevision draft revision that runs (0 for a published version)
 * @param trigger data of the trigger ({@code {{trigger.*}}}), e.g. Twilio webhook parameters
 * @param runner instance id of the process executing it
 * @param apiKeyId the key that started it, or null (share pages, webhooks)
 */
public record RunRecord(UUID id, UUID workspaceId, UUID appId, Integer version, int draftRevision,
        RunSource source, RunMode mode, Map<String, Object> inputs, Map<String, Object> trigger,
        String runner, UUID apiKeyId, Instant createdAt) {
    public RunRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(createdAt, "createdAt");
        inputs = inputs == null ? Map.of() : inputs;
        trigger = trigger == null ? Map.of() : trigger;
    }
}
