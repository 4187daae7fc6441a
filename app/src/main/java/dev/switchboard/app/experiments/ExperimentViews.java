package dev.switchboard.app.experiments;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the experiments API returns. */
final class ExperimentViews {
    private ExperimentViews() {
    }

    record Message(String role, String content) {
    }

    /**
     * The prompt every variant got: {@code prompt} (completion style) or {@code messages} (chat).
     * For an app's {@code ai} node it is rendered from the given inputs, and {@code source} says
     * from where.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PromptView(String prompt, List<Message> messages, Source source) {
    }

    /**
     * @param version {@code draft} or the published version number the node was taken from
     * @param upstreamUsage what rendering cost: upstream {@code ai} nodes that were run (not given in {@code upstream})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Source(UUID appId, String nodeId, String version, Map<String, Object> inputs, Usage upstreamUsage) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Usage(int inputTokens, int outputTokens, int totalTokens, boolean estimated) {
    }

    /** A failed variant's reason; never holds a provider key. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VariantError(String message, boolean retriable, Integer status) {
    }

    /**
     * One variant: a model (or fallback chain) and parameters, with what it answered.
     *
     * @param parameters the sampling parameters sent (the node's own, overridden by the variant's)
     * @param answeredBy the {@code provider/model} that answered (differs from {@code model} after a fallback)
     * @param cost USD, null when the model has no configured price
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VariantResult(int index, List<String> model, Map<String, Object> parameters, String status, String output,
            String finishReason, String answeredBy, Double latencyMs, Usage usage, BigDecimal cost, VariantError error) {
    }

    record ExperimentView(UUID id, String name, PromptView prompt, List<VariantResult> variants, Instant createdAt) {
    }

    /** An experiment in a list: which models it compared, no outputs. */
    record ExperimentSummary(UUID id, String name, UUID appId, String nodeId, List<String> models, int variants,
            int succeeded, Instant createdAt) {
    }

    record ExperimentPage(List<ExperimentSummary> items, String nextCursor) {
    }
}
