package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ResilienceConfig;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The Resilience4j parts, composed explicitly by the gateway (no aspects, so no surprising order):
 * per provider a {@link Retry} (exponential backoff with jitter, {@code Retry-After} honoured) and a
 * {@link Bulkhead}; per deployment a {@link CircuitBreaker} on the injected clock; per call a {@link TimeLimiter}.
 * Their metrics are bound to the meter registry. Thread-safe.
 */
final class Resilience {

    private static final Logger LOG = LoggerFactory.getLogger(Resilience.class);

    private final ResilienceConfig config;
    private final RandomGenerator random;
    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;
    private final BulkheadRegistry bulkheads;
    /** The first limiter built per provider (normally the configured timeout) is reused. */
    private final java.util.Map<String, TimeLimiter> timeLimiters = new java.util.concurrent.ConcurrentHashMap<>();

    Resilience(ResilienceConfig config, Clock clock, RandomGenerator random, MeterRegistry meters) {
        this.config = config;
        this.random = random;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .clock(clock)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(config.slidingWindowSize())
                .minimumNumberOfCalls(config.minimumCalls())
                .failureRateThreshold(config.failureRateThreshold())
                .waitDurationInOpenState(config.openDuration())
                .permittedNumberOfCallsInHalfOpenState(config.halfOpenCalls())
                // only transient upstream failures say something about a deployment's health
                .recordException(e -> e instanceof GatewayException.Retriable)
                .writableStackTraceEnabled(false)
                .build());
        this.retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(config.maxAttempts())
                .intervalBiFunction(interval())
                .retryOnException(Resilience::retriable)
                .failAfterMaxAttempts(false)
                .writableStackTraceEnabled(false)
                .build());
        this.breakers.getEventPublisher().onEntryAdded(added -> logTransitions(added.getAddedEntry()));
        this.bulkheads = BulkheadRegistry.ofDefaults();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
    }

    /**
     * Says in the log when a deployment's circuit opens (with the failure rate and the last failure it counted, so
     * the runs failing {@code unavailable} meanwhile can be traced to a cause) and when it closes again.
     */
    private void logTransitions(CircuitBreaker breaker) {
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        breaker.getEventPublisher()
                .onError(e -> lastFailure.set(e.getThrowable()))
                .onStateTransition(e -> {
                    CircuitBreaker.State to = e.getStateTransition().getToState();
                    if (to == CircuitBreaker.State.OPEN) {
                        Throwable last = lastFailure.get();
                        CircuitBreaker.Metrics m = breaker.getMetrics();
                        LOG.warn("circuit of {} opened: {} of the last {} calls failed ({} %, threshold {} %); calls "
                                        + "fail 'unavailable' without reaching it for {}, then {} probe calls decide; "
                                        + "last failure: {}", breaker.getName(), m.getNumberOfFailedCalls(),
                                m.getNumberOfBufferedCalls(), Math.round(m.getFailureRate()),
                                Math.round(config.failureRateThreshold()), human(config.openDuration()), config.halfOpenCalls(),
                                last instanceof GatewayException g ? g.code() + ": " + g.getMessage() : String.valueOf(last));
                    } else if (to == CircuitBreaker.State.CLOSED) {
                        LOG.info("circuit of {} closed again", breaker.getName());
                    }
                });
    }

    /** "30 s", "1500 ms": a duration as the log and error messages say it. */
    static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Errors the gateway itself retries: retriable ones, except a stream that already delivered text. */
    static boolean retriable(Throwable t) {
        return t instanceof GatewayException.Retriable && !(t instanceof GatewayException.StreamInterrupted);
    }

    /**
     * Wait before retry {@code attempt}: the provider's {@code Retry-After} plus up to 10 % (never earlier than
     * asked), else {@code initial × multiplier^(attempt-1)} capped at {@code maxBackoff}, spread by ±jitter.
     */
    private IntervalBiFunction<Object> interval() {
        return (attempt, outcome) -> {
            Throwable t = outcome.isLeft() ? outcome.getLeft() : null;
            Duration asked = t instanceof GatewayException.Retriable r ? r.retryAfter() : null;
            if (asked != null) {
                long ms = asked.toMillis();
                return ms + (long) (ms * 0.1 * random.nextDouble());
            }
            double base = Math.min(config.maxBackoff().toMillis(),
                    config.initialBackoff().toMillis() * Math.pow(config.backoffMultiplier(), attempt - 1));
            return Math.max(0, Math.round(base * (1 + config.jitter() * (2 * random.nextDouble() - 1))));
        };
    }

    ResilienceConfig config() {
        return config;
    }

    Retry retry(String provider) {
        return retries.retry(provider);
    }

    Bulkhead bulkhead(String provider, int maxConcurrentCalls) {
        return bulkheads.bulkhead(provider, () -> BulkheadConfig.custom()
                .maxConcurrentCalls(maxConcurrentCalls)
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false)
                .build());
    }

    CircuitBreaker breaker(String deployment) {
        return breakers.circuitBreaker(deployment);
    }

    void forgetBreaker(String deployment) {
        breakers.remove(deployment);
    }

    /** The provider's time limiter for {@code timeout} (its configured one, or a shorter one left by a deadline). */
    TimeLimiter timeLimiter(String provider, Duration timeout) {
        TimeLimiter cached = timeLimiters.get(provider);
        if (cached != null && cached.getTimeLimiterConfig().getTimeoutDuration().equals(timeout)) {
            return cached;
        }
        TimeLimiter limiter = TimeLimiter.of(provider, TimeLimiterConfig.custom().timeoutDuration(timeout)
                .cancelRunningFuture(true).build());
        timeLimiters.putIfAbsent(provider, limiter);
        return limiter;
    }
}
