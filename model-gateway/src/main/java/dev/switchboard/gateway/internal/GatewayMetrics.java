package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Micrometer meters. Provider calls use the OpenTelemetry GenAI client conventions:
 * {@code gen_ai.client.operation.duration} (seconds) and {@code gen_ai.client.token.usage} ({@code {token}}) with
 * {@code gen_ai.operation.name}, {@code gen_ai.provider.name}, {@code gen_ai.request.model},
 * {@code gen_ai.response.model}, {@code gen_ai.token.type} and {@code error.type}. Gateway behaviour has its own
 * {@code switchboard.gateway.*} meters. Tags never carry keys or workspace ids.
 */
final class GatewayMetrics {

    static final String DURATION = "gen_ai.client.operation.duration";
    static final String TOKENS = "gen_ai.client.token.usage";

    private final MeterRegistry registry;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static String operation(boolean chat) {
        return chat ? "chat" : "text_completion";
    }

    /** One provider attempt; {@code error} null on success. */
    void attempt(String operation, String providerType, String provider, String requestModel, String responseModel,
                 Duration duration, GatewayException error) {
        Tags tags = Tags.of("gen_ai.operation.name", operation, "gen_ai.provider.name", providerType,
                "gen_ai.request.model", requestModel, "switchboard.provider", provider);
        if (responseModel != null) {
            tags = tags.and("gen_ai.response.model", responseModel);
        }
        if (error != null) {
            tags = tags.and("error.type", error.code());
        }
        Timer.builder(DURATION).description("GenAI operation duration").tags(tags)
                .publishPercentileHistogram().register(registry).record(duration);
    }

    void tokens(String operation, String providerType, String provider, String requestModel, String responseModel,
                Usage usage) {
        Tags tags = Tags.of("gen_ai.operation.name", operation, "gen_ai.provider.name", providerType,
                "gen_ai.request.model", requestModel, "gen_ai.response.model", responseModel,
                "switchboard.provider", provider, "switchboard.usage.source", usage.source().name().toLowerCase(java.util.Locale.ROOT));
        summary(tags.and("gen_ai.token.type", "input")).record(usage.inputTokens());
        summary(tags.and("gen_ai.token.type", "output")).record(usage.outputTokens());
    }

    private DistributionSummary summary(Tags tags) {
        return DistributionSummary.builder(TOKENS).description("Measures number of input and output tokens used")
                .baseUnit("{token}").tags(tags).register(registry);
    }

    void retry(String provider, String model, GatewayException error) {
        counter("switchboard.gateway.retries", "switchboard.provider", provider, "gen_ai.request.model", model,
                "error.type", error.code()).increment();
    }

    void fallback(String fromRef, String toRef, GatewayException reason) {
        counter("switchboard.gateway.fallbacks", "from", fromRef, "to", toRef, "error.type", reason.code()).increment();
    }

    void cache(boolean hit) {
        counter("switchboard.gateway.cache", "result", hit ? "hit" : "miss").increment();
    }

    void rejected(String reason) {
        counter("switchboard.gateway.rejections", "reason", reason).increment();
    }

    void streamInterrupted(String provider, String model) {
        counter("switchboard.gateway.stream.interruptions", "switchboard.provider", provider,
                "gen_ai.request.model", model).increment();
    }

    void cost(String provider, String model, BigDecimal usd) {
        if (usd != null && usd.signum() > 0) {
            Counter.builder("switchboard.gateway.cost").baseUnit("USD").description("Cost of model calls")
                    .tags("switchboard.provider", provider, "gen_ai.request.model", model)
                    .register(registry).increment(usd.doubleValue());
        }
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }
}
