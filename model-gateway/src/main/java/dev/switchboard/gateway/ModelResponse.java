package dev.switchboard.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of one gateway call (after retries and fallbacks).
 *
 * @param id           the provider's response id, or a gateway-made one when the provider gives none
 * @param text         the generated text
 * @param finishReason why generation stopped
 * @param usage        token counts (provider-reported or estimated)
 * @param latency      wall time of the whole gateway call, retries and fallbacks included
 * @param provider     the configured provider name that answered (e.g. {@code openai})
 * @param model        the model that answered, as the provider named it
 * @param cost         USD cost from the price table; null when the model has no price
 * @param cached       true when served from the exact-match cache (no provider call, no cost)
 */
public record ModelResponse(String id, String text, FinishReason finishReason, Usage usage, Duration latency,
                            String provider, String model, BigDecimal cost, boolean cached) {

    public ModelResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
    }

    /** The model reference {@code provider/model} that answered. */
    public String modelRef() {
        return provider + "/" + model;
    }
}
