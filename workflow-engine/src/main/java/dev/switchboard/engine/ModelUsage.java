package dev.switchboard.engine;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a node spent on models: tokens, cost (null when unknown) and which model answered
 * ({@code provider/model}; with a fallback chain, the one that succeeded).
 */
public record ModelUsage(TokenUsage tokens, BigDecimal cost, String provider, String model) {
    public ModelUsage {
        Objects.requireNonNull(tokens, "tokens");
    }

    public static ModelUsage of(ModelResult result) {
        return new ModelUsage(result.usage(), result.cost(), result.provider(), result.model());
    }
}
