package dev.switchboard.gateway.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.CredentialResolver;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.RateLimitConfig;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.internal.ProviderRegistry.Route;
import io.github.resilience4j.bulkhead.Bulkhead;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lets one attempt in, in this order: the workspace's RPM/TPM limit, a deployment chosen by weight whose circuit
 * is closed and whose RPM/TPM limit has room, the provider's bulkhead. Everything taken is held by the returned
 * {@link Lease} until the attempt ends. Thread-safe.
 */
final class Admission {

    /** Output tokens assumed for the TPM reservation when a request sets no {@code maxTokens}. */
    static final int DEFAULT_OUTPUT_ESTIMATE = 256;

    private final GatewayConfig config;
    private final Resilience resilience;
    private final DeploymentPool pool;
    private final CredentialResolver credentials;
    private final GatewayMetrics metrics;
    private final Clock clock;
    /** Idle workspace buckets are full buckets, so evicting them loses nothing. */
    private final Cache<String, TokenBuckets> workspaces = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2)).maximumSize(100_000).build();

    Admission(GatewayConfig config, Resilience resilience, DeploymentPool pool, CredentialResolver credentials,
              GatewayMetrics metrics, Clock clock) {
        this.config = config;
        this.resilience = resilience;
        this.pool = pool;
        this.credentials = credentials;
        this.metrics = metrics;
        this.clock = clock;
    }

    static int estimateTokens(ModelRequest request) {
        return TokenEstimator.input(request) + (request.maxTokens() != null ? request.maxTokens() : DEFAULT_OUTPUT_ESTIMATE);
    }

    /**
     * @throws GatewayException.RateLimited a workspace limit (provider null: no fallback helps) or every deployment's limit
     * @throws GatewayException.Unavailable every circuit open, or the provider's bulkhead full
     */
    Lease admit(Route route, ModelRequest request, CallContext context) {
        int estimate = estimateTokens(request);
        String workspace = context.workspaceId();
        TokenBuckets ws = workspaceBuckets(workspace);
        if (ws != null) {
            TokenBuckets.Rejection rejected = ws.tryReserve(estimate);
            if (rejected != null) {
                metrics.rejected("workspace_rate_limit");
                throw new GatewayException.RateLimited("workspace '" + workspace + "' reached its " + rejected.what()
                        + " limit", null, route.model(), null, rejected.retryAfter());
            }
        }
        Secret key;
        try {
            key = credentials.apiKey(workspace, route.provider().name()).orElse(null);
        } catch (RuntimeException e) {
            release(ws, estimate);
            throw e;
        }
        DeploymentPool.Slot slot;
        try {
            slot = pool.acquire(route.provider(), route.model(), key, estimate);
        } catch (GatewayException e) {
            metrics.rejected(e instanceof GatewayException.RateLimited ? "deployment_rate_limit" : "circuit_open");
            release(ws, estimate);
            throw e;
        }
        Bulkhead bulkhead = resilience.bulkhead(route.provider().name(), route.provider().config().maxConcurrentCalls());
        if (!bulkhead.tryAcquirePermission()) {
            slot.deployment().breaker().releasePermission();
            slot.deployment().limits().cancel(estimate);
            release(ws, estimate);
            metrics.rejected("bulkhead");
            throw new GatewayException.Unavailable("too many concurrent calls to " + route.provider().name()
                    + " (limit " + route.provider().config().maxConcurrentCalls() + ")", route.provider().name(),
                    route.model(), GatewayException.Unavailable.Reason.BULKHEAD_FULL, null);
        }
        return new Lease(slot.deployment(), bulkhead, ws, estimate, System.nanoTime());
    }

    private static void release(TokenBuckets ws, int estimate) {
        if (ws != null) {
            ws.cancel(estimate);
        }
    }

    private TokenBuckets workspaceBuckets(String workspace) {
        RateLimitConfig limits = config.workspaces().getOrDefault(workspace, config.workspaceLimits());
        if (limits.requestsPerMinute() == null && limits.tokensPerMinute() == null) {
            return null;
        }
        return workspaces.get(workspace, w -> new TokenBuckets(limits, clock));
    }

    /** What one admitted attempt holds. Exactly one of the three ending methods is called, once. */
    static final class Lease {
        private final Deployment deployment;
        private final Bulkhead bulkhead;
        private final TokenBuckets workspace;
        private final int reservedTokens;
        private final long startNanos;
        private boolean ended;

        Lease(Deployment deployment, Bulkhead bulkhead, TokenBuckets workspace, int reservedTokens, long startNanos) {
            this.deployment = deployment;
            this.bulkhead = bulkhead;
            this.workspace = workspace;
            this.reservedTokens = reservedTokens;
            this.startNanos = startNanos;
        }

        Deployment deployment() {
            return deployment;
        }

        boolean isEnded() {
            return ended;
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        /** The call succeeded: the breaker counts a success and the limits settle on the real token count. */
        void succeeded(Usage usage) {
            end(usage.totalTokens());
            deployment.breaker().onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }

        /** The call failed: retriable failures count against the deployment's circuit. */
        void failed(GatewayException error, int usedTokens) {
            end(usedTokens);
            deployment.breaker().onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, error);
        }

        /** The caller went away (interrupt, listener failure): nothing is said about the deployment's health. */
        void abandoned(int usedTokens) {
            end(usedTokens);
            deployment.breaker().releasePermission();
        }

        private void end(int usedTokens) {
            if (ended) {
                throw new IllegalStateException("lease of " + deployment.id() + " ended twice");
            }
            ended = true;
            bulkhead.onComplete();
            deployment.limits().settle(reservedTokens, usedTokens);
            if (workspace != null) {
                workspace.settle(reservedTokens, usedTokens);
            }
        }
    }
}
