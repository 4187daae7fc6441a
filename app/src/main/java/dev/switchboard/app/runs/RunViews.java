package dev.switchboard.app.runs;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the runs API returns. */
public final class RunViews {
    private RunViews() {
    }

    /**
     * A run with its per-node trace.
     *
     * @param version published version that ran, null when the draft ran
     * @param trigger data of the trigger that started it (e.g. Twilio webhook parameters), null for API runs
     * @param error why it did not succeed: {@code {nodeId, type, message}}; for {@code blocked} the user-facing message
     * @param latencyMs from start to finish (null while unfinished)
     */
    public record RunView(UUID id, UUID appId, Integer version, Integer draftRevision, String status, String source,
            String mode, Map<String, Object> inputs, Map<String, Object> trigger, Map<String, Object> outputs,
            Map<String, Object> error,
            UsageView usage, Instant createdAt, Instant startedAt, Instant finishedAt, Double latencyMs,
            List<NodeTraceView> trace) {
    }

    /** One node of a run: what it read, what it produced, how long it took, what it cost. */
    public record NodeTraceView(String nodeId, String type, String status, Map<String, Object> inputs,
            Map<String, Object> outputs, Instant startedAt, Double latencyMs, int attempts, UsageView usage,
            Map<String, Object> error) {
    }

    /** Tokens and cost (USD, null when unknown); {@code model} is the {@code provider/model} that answered. */
    public record UsageView(int inputTokens, int outputTokens, int totalTokens, boolean estimated, BigDecimal cost,
            String model) {
    }

    /** A run in a list (no inputs, outputs or trace). */
    public record RunSummary(UUID id, UUID appId, Integer version, String status, String source, String mode,
            Map<String, Object> error, Instant createdAt, Instant startedAt, Instant finishedAt, Double latencyMs) {
    }

    /** A page of runs, newest first; pass {@code nextCursor} as {@code cursor} for the next page (null: no more). */
    public record RunPage(List<RunSummary> items, String nextCursor) {
    }

    /** Answer of an async start: poll {@code Location} ({@code GET /api/v1/runs/{id}}). */
    public record RunAccepted(UUID id, UUID appId, Integer version, String status, Instant createdAt) {
    }
}
