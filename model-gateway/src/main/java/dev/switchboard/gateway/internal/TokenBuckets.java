package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.RateLimitConfig;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One RPM + TPM limit pair (token buckets refilled greedily over a minute) on the gateway's clock. Requests take
 * one RPM token; tokens are reserved from an estimate before the call and settled against the real count after
 * it (over-use is debited, which may push the bucket below zero; under-use is refunded). Thread-safe.
 */
final class TokenBuckets {

    /** What a rejected reservation tells the caller. */
    record Rejection(String what, Duration retryAfter) {
    }

    private final Bucket requests;
    private final Bucket tokens;
    private final int tokenCapacity;

    TokenBuckets(RateLimitConfig limits, Clock clock) {
        TimeMeter meter = new ClockMeter(clock);
        this.requests = limits.requestsPerMinute() == null ? null : bucket(limits.requestsPerMinute(), meter);
        this.tokens = limits.tokensPerMinute() == null ? null : bucket(limits.tokensPerMinute(), meter);
        this.tokenCapacity = limits.tokensPerMinute() == null ? Integer.MAX_VALUE : limits.tokensPerMinute();
    }

    boolean unlimited() {
        return requests == null && tokens == null;
    }

    private static Bucket bucket(int perMinute, TimeMeter meter) {
        return Bucket.builder()
                .addLimit(l -> l.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter)
                .build();
    }

    /** Takes one request and {@code estimatedTokens}; returns null on success, else why and how long to wait. */
    Rejection tryReserve(int estimatedTokens) {
        if (requests != null) {
            ConsumptionProbe p = requests.tryConsumeAndReturnRemaining(1);
            if (!p.isConsumed()) {
                return new Rejection("requests per minute", Duration.ofNanos(p.getNanosToWaitForRefill()));
            }
        }
        if (tokens != null && estimatedTokens > 0) {
            if (estimatedTokens > tokenCapacity) {
                refundRequest();
                return new Rejection("tokens per minute (the request alone needs about " + estimatedTokens
                        + " of " + tokenCapacity + ")", null);
            }
            ConsumptionProbe p = tokens.tryConsumeAndReturnRemaining(estimatedTokens);
            if (!p.isConsumed()) {
                refundRequest();
                return new Rejection("tokens per minute", Duration.ofNanos(p.getNanosToWaitForRefill()));
            }
        }
        return null;
    }

    /** Undoes a successful {@link #tryReserve} (another limit refused the call). */
    void cancel(int estimatedTokens) {
        refundRequest();
        settle(estimatedTokens, 0);
    }

    /** Corrects the token reservation to the real count once the call has ended. */
    void settle(int estimatedTokens, int actualTokens) {
        if (tokens == null || estimatedTokens == actualTokens) {
            return;
        }
        if (actualTokens > estimatedTokens) {
            tokens.consumeIgnoringRateLimits(actualTokens - estimatedTokens);
        } else {
            tokens.addTokens(estimatedTokens - actualTokens);
        }
    }

    private void refundRequest() {
        if (requests != null) {
            requests.addTokens(1);
        }
    }

    /** Bucket4j time source on the injected clock, so tests move time instead of waiting. */
    private record ClockMeter(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
