package dev.switchboard.app.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
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
     * @param deliveries messages output nodes sent (SMS...) with their delivery status; absent when none
     */
    public record RunView(UUID id, UUID appId, Integer version, Integer draftRevision, String status, String source,
            String mode, Map<String, Object> inputs, Map<String, Object> trigger, Map<String, Object> outputs,
            Map<String, Object> error,
            UsageView usage, Instant createdAt, Instant startedAt, Instant finishedAt, Double latencyMs,
            List<NodeTraceView> trace, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DeliveryView> deliveries) {

        /** A run without deliveries (they are added by {@link RunService#get}). */
        public RunView(UUID id, UUID appId, Integer version, Integer draftRevision, String status, String source,
                String mode, Map<String, Object> inputs, Map<String, Object> trigger, Map<String, Object> outputs,
                Map<String, Object> error, UsageView usage, Instant createdAt, Instant startedAt, Instant finishedAt,
                Double latencyMs, List<NodeTraceView> trace) {
            this(id, appId, version, draftRevision, status, source, mode, inputs, trigger, outputs, error, usage, createdAt,
                    startedAt, finishedAt, latencyMs, trace, List.of());
        }

        public RunView withDeliveries(List<DeliveryView> list) {
            return new RunView(id, appId, version, draftRevision, status, source, mode, inputs, trigger, outputs, error,
                    usage, createdAt, startedAt, finishedAt, latencyMs, trace, List.copyOf(list));
        }
    }

    /**
     * One message an output node sent (one part of a long SMS), as the run's {@code deliveries}.
     *
     * @param channel {@code sms}
     * @param state where sending stands: {@code pending, sending, accepted, failed, unknown,
     *     opted_out, inline}
     * @param messageId the provider's id (Twilio MessageSid), null until accepted
     * @param status the provider's latest delivery status ({@code queued, sent, delivered,
     *     undelivered, failed...}), null before the first
     * @param errorCode the provider's error code (e.g. Twilio 21211, 30003), null when none
     * @param events the status callbacks in the order they arrived
     */
    public record DeliveryView(String nodeId, String channel, int part, int parts, String to, String state,
            int attempts, String messageId, String status, Integer errorCode, String errorMessage,
            Instant createdAt, Instant updatedAt, List<DeliveryEvent> events) {
    }

    /** A delivery status reported by the provider, when it arrived. */
    public record DeliveryEvent(String status, Integer errorCode, Instant at) {
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
