package dev.switchboard.gateway.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.RateLimitConfig;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.spi.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Deployments by id, created on first use, and weighted selection among a model's deployments that skips open
 * circuits and exhausted deployment limits. Bounded: idle deployments are forgotten after an hour (a wildcard
 * provider sees arbitrary model names). Thread-safe.
 */
final class DeploymentPool {

    /** A chosen deployment whose breaker permission and limit reservation are held. */
    record Slot(Deployment deployment, int reservedTokens) {
    }

    private final Resilience resilience;
    private final Clock clock;
    private final RandomGenerator random;
    private final Cache<String, Deployment> deployments;

    DeploymentPool(Resilience resilience, Clock clock, RandomGenerator random) {
        this.resilience = resilience;
        this.clock = clock;
        this.random = random;
        this.deployments = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterAccess(Duration.ofHours(1))
                .removalListener((String id, Deployment d, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (id != null) {
                        resilience.forgetBreaker(id);
                    }
                })
                .build();
    }

    /**
     * Picks a deployment for {@code model} of {@code provider}, by weight among those whose circuit lets a call
     * through and whose RPM/TPM limits have room.
     *
     * @param keyOverride a per-workspace key replacing the configured ones, or null
     * @throws GatewayException.RateLimited when every usable deployment is at its limit (with the shortest wait)
     * @throws GatewayException.Unavailable when every deployment's circuit is open
     */
    Slot acquire(ProviderRuntime provider, String model, Secret keyOverride, int estimatedTokens) {
        List<Endpoint> candidates = new ArrayList<>(provider.endpoints());
        Duration shortestWait = null;
        String limitHit = null;
        CircuitBreaker open = null;
        while (!candidates.isEmpty()) {
            Endpoint endpoint = candidates.remove(pickIndex(candidates));
            Deployment d = deployment(provider, model, endpoint, keyOverride);
            if (!d.breaker().tryAcquirePermission()) {
                open = d.breaker();
                continue;
            }
            TokenBuckets.Rejection rejected = d.limits().tryReserve(estimatedTokens);
            if (rejected == null) {
                return new Slot(d, estimatedTokens);
            }
            d.breaker().releasePermission();
            limitHit = rejected.what();
            if (rejected.retryAfter() != null && (shortestWait == null || rejected.retryAfter().compareTo(shortestWait) < 0)) {
                shortestWait = rejected.retryAfter();
            }
        }
        if (limitHit != null) {
            throw new GatewayException.RateLimited("deployment limit reached for " + provider.name() + "/" + model
                    + ": " + limitHit, provider.name(), model, null, shortestWait);
        }
        throw new GatewayException.Unavailable("every deployment of " + provider.name() + "/" + model
                + " has an open circuit" + whyOpen(open), provider.name(), model,
                GatewayException.Unavailable.Reason.CIRCUIT_OPEN, null);
    }

    /** Why calls are refused, from the counts that opened the circuit (the log names the last failure). */
    private String whyOpen(CircuitBreaker breaker) {
        if (breaker == null) {
            return "";
        }
        CircuitBreaker.Metrics m = breaker.getMetrics();
        return ": " + m.getNumberOfFailedCalls() + " of its last " + m.getNumberOfBufferedCalls()
                + " calls failed, so it is not called for " + Resilience.human(resilience.config().openDuration())
                + " after the circuit opened (the gateway log names the failure; see switchboard.gateway.resilience)";
    }

    private int pickIndex(List<Endpoint> candidates) {
        if (candidates.size() == 1) {
            return 0;
        }
        int total = 0;
        for (Endpoint e : candidates) {
            total += e.weight();
        }
        int ticket = random.nextInt(total);
        for (int i = 0; i < candidates.size(); i++) {
            ticket -= candidates.get(i).weight();
            if (ticket < 0) {
                return i;
            }
        }
        return candidates.size() - 1;
    }

    private Deployment deployment(ProviderRuntime provider, String model, Endpoint endpoint, Secret keyOverride) {
        Endpoint effective = keyOverride == null ? endpoint
                : new Endpoint(endpoint.id(), endpoint.baseUrl(), keyOverride, endpoint.weight());
        String id = provider.name() + "/" + model + "#" + endpoint.id().substring(endpoint.id().indexOf('#') + 1)
                + (keyOverride == null ? "" : "@" + keyOverride.fingerprint());
        return deployments.get(id, key -> new Deployment(key, provider, model, effective, resilience.breaker(key),
                new TokenBuckets(new RateLimitConfig(provider.config().requestsPerMinute(),
                        provider.config().tokensPerMinute()), clock)));
    }

    /** Current deployments (for tests and diagnostics). */
    List<Deployment> all() {
        return List.copyOf(deployments.asMap().values());
    }
}
