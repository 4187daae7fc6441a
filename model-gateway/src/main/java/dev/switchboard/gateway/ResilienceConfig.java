package dev.switchboard.gateway;

import java.time.Duration;

/**
 * Retry and circuit-breaker settings shared by all providers. Null components take the defaults named.
 *
 * @param maxAttempts          attempts per model ref, first included (default 3)
 * @param initialBackoff       wait before the first retry (default 500 ms)
 * @param backoffMultiplier    growth of the wait per retry (default 2)
 * @param maxBackoff           cap of the computed wait (default 20 s)
 * @param jitter               random spread of the wait, 0..1 (default 0.2 = ±20 %)
 * @param maxRetryAfter        longest {@code Retry-After} the gateway waits out; longer ones skip to the fallback
 *                             (default 30 s)
 * @param failureRateThreshold percentage of failed calls that opens a deployment's circuit (default 50)
 * @param slidingWindowSize    calls the failure rate is computed over (default 20)
 * @param minimumCalls         calls needed before the rate counts (default 5)
 * @param openDuration         how long an open circuit rejects calls before probing (default 30 s)
 * @param halfOpenCalls        probe calls let through when half-open (default 2)
 */
public record ResilienceConfig(Integer maxAttempts, Duration initialBackoff, Double backoffMultiplier,
                               Duration maxBackoff, Double jitter, Duration maxRetryAfter, Float failureRateThreshold,
                               Integer slidingWindowSize, Integer minimumCalls, Duration openDuration,
                               Integer halfOpenCalls) {

    public static final ResilienceConfig DEFAULTS = new ResilienceConfig(null, null, null, null, null, null, null, null,
            null, null, null);

    public ResilienceConfig {
        maxAttempts = ProviderConfig.atLeastOne(maxAttempts == null ? 3 : maxAttempts, "maxAttempts");
        initialBackoff = nonNegativeOr(initialBackoff, Duration.ofMillis(500), "initialBackoff");
        backoffMultiplier = backoffMultiplier == null ? 2.0 : backoffMultiplier;
        if (backoffMultiplier < 1) {
            throw new IllegalArgumentException("backoffMultiplier must be >= 1 (was " + backoffMultiplier + ")");
        }
        maxBackoff = nonNegativeOr(maxBackoff, Duration.ofSeconds(20), "maxBackoff");
        jitter = jitter == null ? 0.2 : jitter;
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1 (was " + jitter + ")");
        }
        maxRetryAfter = nonNegativeOr(maxRetryAfter, Duration.ofSeconds(30), "maxRetryAfter");
        failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
        if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("failureRateThreshold must be in (0, 100] (was " + failureRateThreshold + ")");
        }
        slidingWindowSize = ProviderConfig.atLeastOne(slidingWindowSize == null ? 20 : slidingWindowSize, "slidingWindowSize");
        minimumCalls = ProviderConfig.atLeastOne(minimumCalls == null ? 5 : minimumCalls, "minimumCalls");
        openDuration = ProviderConfig.positiveOr(openDuration, Duration.ofSeconds(30), "openDuration");
        halfOpenCalls = ProviderConfig.atLeastOne(halfOpenCalls == null ? 2 : halfOpenCalls, "halfOpenCalls");
    }

    private static Duration nonNegativeOr(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must be >= 0 (was " + value + ")");
        }
        return value;
    }
}
