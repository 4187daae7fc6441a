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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
    /** {@code error.type} of a successful attempt. */
    static final String NO_ERROR = "none";
    /** {@code gen_ai.response.model} when no answer named it (a failed attempt). */
    static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    /** Meters by their tag values: registering (building and sorting tags) on every call costs more than the call. */
    private final Map<AttemptKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<TokenKey, DistributionSummary[]> summaries = new ConcurrentHashMap<>();
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    private record AttemptKey(String operation, String type, String provider, String requestModel, String responseModel,
                              String error) {
    }

    private record TokenKey(String operation, String type, String provider, String requestModel, String responseModel,
                            Usage.Source source) {
    }

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static String operation(boolean chat) {
        return chat ? "chat" : "text_completion";
    }

    /** One provider attempt; {@code error} null on success. */
    void attempt(String operation, String providerType, String provider, String requestModel, String responseModel,
                 Duration duration, GatewayException error) {
        AttemptKey key = new AttemptKey(operation, providerType, provider, requestModel, responseModel,
                error == null ? null : error.code());
        timers.computeIfAbsent(key, k -> {
            // Every attempt carries the same tag keys: Prometheus refuses a second meter of one name with other
            // keys, which silently dropped every failed attempt (no response model, an error type) from
            // /actuator/prometheus while successes were there.
            Tags tags = Tags.of("gen_ai.operation.name", k.operation(), "gen_ai.provider.name", k.type(),
                    "gen_ai.request.model", k.requestModel(), "switchboard.provider", k.provider(),
                    "gen_ai.response.model", k.responseModel() == null ? UNKNOWN : k.responseModel(),
                    "error.type", k.error() == null ? NO_ERROR : k.error());
            return Timer.builder(DURATION).description("GenAI operation duration").tags(tags)
                    .publishPercentileHistogram().register(registry);
        }).record(duration);
    }

    void tokens(String operation, String providerType, String provider, String requestModel, String responseModel,
                Usage usage) {
        DistributionSummary[] pair = summaries.computeIfAbsent(new TokenKey(operation, providerType, provider,
                requestModel, responseModel, usage.source()), k -> {
            Tags tags = Tags.of("gen_ai.operation.name", k.operation(), "gen_ai.provider.name", k.type(),
                    "gen_ai.request.model", k.requestModel(),
                    "gen_ai.response.model", k.responseModel() == null ? UNKNOWN : k.responseModel(),
                    "switchboard.provider", k.provider(),
                    "switchboard.usage.source", k.source().name().toLowerCase(java.util.Locale.ROOT));
            return new DistributionSummary[] {summary(tags.and("gen_ai.token.type", "input")),
                    summary(tags.and("gen_ai.token.type", "output"))};
        });
        pair[0].record(usage.inputTokens());
        pair[1].record(usage.outputTokens());
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
            counters.computeIfAbsent(List.of("switchboard.gateway.cost", provider, model), k ->
                    Counter.builder("switchboard.gateway.cost").baseUnit("USD").description("Cost of model calls")
                            .tags("switchboard.provider", provider, "gen_ai.request.model", model).register(registry))
                    .increment(usd.doubleValue());
        }
    }

    private Counter counter(String name, String... tags) {
        List<String> key = new java.util.ArrayList<>(tags.length + 1);
        key.add(name);
        key.addAll(Arrays.asList(tags));
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
