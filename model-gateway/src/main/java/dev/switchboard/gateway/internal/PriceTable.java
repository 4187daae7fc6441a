package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.ModelPrice;
import dev.switchboard.gateway.Usage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * USD prices per 1M tokens. Lookup order: configured {@code provider/model}, configured {@code type/model},
 * configured {@code model}, then the built-in table by {@code type/model}; each step also tries the longest
 * known prefix so dated snapshots ({@code gpt-4o-mini-2024-07-18}) find their family's price. Immutable.
 *
 * <p>Built-in prices are the providers' published list prices when this table was written; configure
 * {@code switchboard.gateway.prices} to override them. Unknown models have no price (cost null).
 */
final class PriceTable {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private static final Map<String, ModelPrice> DEFAULTS = defaults();

    private final Map<String, ModelPrice> configured;

    PriceTable(Map<String, ModelPrice> configured) {
        this.configured = Map.copyOf(configured);
    }

    private static Map<String, ModelPrice> defaults() {
        Map<String, ModelPrice> m = new HashMap<>();
        // OpenAI
        m.put("openai/gpt-5", ModelPrice.of("1.25", "10.00"));
        m.put("openai/gpt-5-mini", ModelPrice.of("0.25", "2.00"));
        m.put("openai/gpt-5-nano", ModelPrice.of("0.05", "0.40"));
        m.put("openai/gpt-4.1", ModelPrice.of("2.00", "8.00"));
        m.put("openai/gpt-4.1-mini", ModelPrice.of("0.40", "1.60"));
        m.put("openai/gpt-4.1-nano", ModelPrice.of("0.10", "0.40"));
        m.put("openai/gpt-4o", ModelPrice.of("2.50", "10.00"));
        m.put("openai/gpt-4o-mini", ModelPrice.of("0.15", "0.60"));
        m.put("openai/gpt-4-turbo", ModelPrice.of("10.00", "30.00"));
        m.put("openai/gpt-4", ModelPrice.of("30.00", "60.00"));
        m.put("openai/gpt-3.5-turbo", ModelPrice.of("0.50", "1.50"));
        m.put("openai/gpt-3.5-turbo-instruct", ModelPrice.of("1.50", "2.00"));
        m.put("openai/o1", ModelPrice.of("15.00", "60.00"));
        m.put("openai/o3", ModelPrice.of("2.00", "8.00"));
        m.put("openai/o3-mini", ModelPrice.of("1.10", "4.40"));
        m.put("openai/o4-mini", ModelPrice.of("1.10", "4.40"));
        m.put("openai/davinci-002", ModelPrice.of("2.00", "2.00"));
        m.put("openai/babbage-002", ModelPrice.of("0.40", "0.40"));
        // Anthropic
        m.put("anthropic/claude-opus-4", ModelPrice.of("15.00", "75.00"));
        m.put("anthropic/claude-sonnet-4", ModelPrice.of("3.00", "15.00"));
        m.put("anthropic/claude-haiku-4-5", ModelPrice.of("1.00", "5.00"));
        m.put("anthropic/claude-3-7-sonnet", ModelPrice.of("3.00", "15.00"));
        m.put("anthropic/claude-3-5-sonnet", ModelPrice.of("3.00", "15.00"));
        m.put("anthropic/claude-3-5-haiku", ModelPrice.of("0.80", "4.00"));
        m.put("anthropic/claude-3-opus", ModelPrice.of("15.00", "75.00"));
        m.put("anthropic/claude-3-haiku", ModelPrice.of("0.25", "1.25"));
        // Cohere
        m.put("cohere/command-a", ModelPrice.of("2.50", "10.00"));
        m.put("cohere/command-r-plus", ModelPrice.of("2.50", "10.00"));
        m.put("cohere/command-r", ModelPrice.of("0.15", "0.60"));
        m.put("cohere/command-r7b", ModelPrice.of("0.0375", "0.15"));
        m.put("cohere/command", ModelPrice.of("1.00", "2.00"));
        m.put("cohere/command-light", ModelPrice.of("0.30", "0.60"));
        // AI21
        m.put("ai21/jamba-large", ModelPrice.of("2.00", "8.00"));
        m.put("ai21/jamba-mini", ModelPrice.of("0.20", "0.40"));
        m.put("ai21/jamba-1.5-large", ModelPrice.of("2.00", "8.00"));
        m.put("ai21/jamba-1.5-mini", ModelPrice.of("0.20", "0.40"));
        m.put("ai21/j2-ultra", ModelPrice.of("15.00", "15.00"));
        m.put("ai21/j2-mid", ModelPrice.of("10.00", "10.00"));
        m.put("ai21/j2-light", ModelPrice.of("3.00", "3.00"));
        return Map.copyOf(m);
    }

    /** The price of a model, or null when neither configuration nor the built-in table knows it. */
    ModelPrice find(String provider, String type, String model) {
        if ("local".equals(type)) {
            ModelPrice local = prefixLookup(configured, provider + "/" + model);
            return local != null ? local : ModelPrice.FREE;
        }
        for (String key : new String[] {provider + "/" + model, type + "/" + model, model}) {
            ModelPrice p = prefixLookup(configured, key);
            if (p != null) {
                return p;
            }
        }
        return prefixLookup(DEFAULTS, type + "/" + model);
    }

    /** Exact key, else the longest key that {@code key} starts with followed by {@code -} (a dated snapshot). */
    private static ModelPrice prefixLookup(Map<String, ModelPrice> table, String key) {
        ModelPrice exact = table.get(key);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String k : table.keySet()) {
            if (key.startsWith(k + "-") && (best == null || k.length() > best.length())) {
                best = k;
            }
        }
        return best == null ? null : table.get(best);
    }

    /** Cost of {@code usage} at {@code price}, in USD with 10 significant digits. */
    static BigDecimal cost(ModelPrice price, Usage usage) {
        BigDecimal in = price.inputPerMillion().multiply(BigDecimal.valueOf(usage.inputTokens()));
        BigDecimal out = price.outputPerMillion().multiply(BigDecimal.valueOf(usage.outputTokens()));
        return in.add(out).divide(MILLION, new MathContext(10, RoundingMode.HALF_UP)).stripTrailingZeros();
    }
}
