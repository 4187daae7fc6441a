package dev.switchboard.gateway.spi;

import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.Usage;
import java.util.Objects;

/**
 * What a provider returns for one attempt.
 *
 * @param id           the provider's response id, or null
 * @param text         the generated text
 * @param finishReason the normalized finish reason
 * @param usage        token counts as the provider reported them, or null when it reported none (the gateway then
 *                     estimates)
 * @param billedUsage  the counts the provider bills, when it reports them apart from {@code usage} (Cohere's
 *                     {@code billed_units}); cost is computed from these when present
 * @param model        the model name the provider reports, or null
 */
public record ProviderResponse(String id, String text, FinishReason finishReason, Usage usage, Usage billedUsage,
                               String model) {

    public ProviderResponse {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(finishReason, "finishReason");
    }
}
