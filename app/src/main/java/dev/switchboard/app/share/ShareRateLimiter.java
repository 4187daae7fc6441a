package dev.switchboard.app.share;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Token buckets (Bucket4j, refilled greedily over a minute) for the public share endpoints, kept
 * in size-bounded Caffeine maps that forget idle keys. Limits are per process: with N replicas a
 * client gets up to N times the budget, which is acceptable for abuse protection. Thread-safe.
 */
final class ShareRateLimiter {

    /** Which budget ran out; named in the 429 answer. */
    enum Scope {
        CLIENT_REQUESTS, CLIENT_RUNS, LINK_RUNS, CLIENT_PASSCODES
    }

    /** A refusal: wait {@code retryAfter} before trying again. */
    record Limited(Scope scope, Duration retryAfter) {
        long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    private final ShareProperties.Limits limits;
    private final TimeMeter meter;
    private final Cache<String, Bucket> clientRequests;
    private final Cache<String, Bucket> clientRuns;
    private final Cache<String, Bucket> linkRuns;
    private final Cache<String, Bucket> clientPasscodes;

    ShareRateLimiter(ShareProperties.Limits limits, Clock clock) {
        this.limits = limits;
        this.meter = new ClockMeter(clock);
        this.clientRequests = cache();
        this.clientRuns = cache();
        this.linkRuns = cache();
        this.clientPasscodes = cache();
    }

    private static Cache<String, Bucket> cache() {
        // a bucket idle for over a minute is full again: forgetting it changes nothing
        return Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(2)).maximumSize(200_000).build();
    }

    /** Any request to a share endpoint. */
    Optional<Limited> request(String client) {
        return take(clientRequests, client, limits.clientRequestsPerMinute(), Scope.CLIENT_REQUESTS);
    }

    /** A run: counts against the client and the link; a refusal by either takes from neither. */
    Optional<Limited> run(String client, String link) {
        Optional<Limited> byClient = take(clientRuns, client, limits.clientRunsPerMinute(), Scope.CLIENT_RUNS);
        if (byClient.isPresent()) {
            return byClient;
        }
        Optional<Limited> byLink = take(linkRuns, link, limits.linkRunsPerMinute(), Scope.LINK_RUNS);
        if (byLink.isPresent()) {
            refund(clientRuns, client, limits.clientRunsPerMinute());
        }
        return byLink;
    }

    /**
     * Reserves one wrong-passcode allowance before a passcode is checked (so a client past its
     * budget causes no hashing at all); {@link #passcodeAccepted} gives it back when it was right.
     */
    Optional<Limited> passcodeAttempt(String client) {
        return take(clientPasscodes, client, limits.clientPasscodeFailuresPerMinute(), Scope.CLIENT_PASSCODES);
    }

    void passcodeAccepted(String client) {
        refund(clientPasscodes, client, limits.clientPasscodeFailuresPerMinute());
    }

    private Optional<Limited> take(Cache<String, Bucket> buckets, String key, int perMinute, Scope scope) {
        if (perMinute == 0) {
            return Optional.empty();
        }
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .withCustomTimePrecision(meter)
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty()
                : Optional.of(new Limited(scope, Duration.ofNanos(probe.getNanosToWaitForRefill())));
    }

    private void refund(Cache<String, Bucket> buckets, String key, int perMinute) {
        if (perMinute == 0) {
            return;
        }
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket != null) {
            bucket.addTokens(1);
        }
    }

    /** Bucket4j time from the injected clock (tests move it; production reads the system clock). */
    private record ClockMeter(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            java.time.Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
