package dev.switchboard.engine;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * A model's answer.
 *
 * @param finishReason e.g. {@code stop}, {@code length}; may be null
 * @param provider     provider that answered (e.g. {@code openai})
 * @param model        model that answered (e.g. {@code gpt-4o-mini}), after any fallback
 * @param cost         cost in USD, or null when unknown
 */
public record ModelResult(String text, String finishReason, TokenUsage usage, String provider, String model,
                          BigDecimal cost, Duration latency) {
    public ModelResult {
        Objects.requireNonNull(text, "text");
        usage = usage == null ? TokenUsage.ZERO : usage;
        latency = latency == null ? Duration.ZERO : latency;
    }

    /** {@code provider/model}, or just the model when the provider is unknown. */
    public String modelRef() {
        return provider == null ? model : provider + "/" + model;
    }
}
