package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.Sleeper;
import dev.switchboard.gateway.StreamListener;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.internal.ProviderRegistry.Route;
import dev.switchboard.gateway.internal.http.HttpErrorMapper;
import dev.switchboard.gateway.spi.ProviderCall;
import dev.switchboard.gateway.spi.ProviderResponse;
import dev.switchboard.gateway.spi.ProviderStream;
import io.github.resilience4j.retry.Retry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one model ref of a fallback chain: admission, the provider call under a time limit, retries with backoff,
 * accounting and metrics of every attempt. A stream is retried only until its first text; after that a failure
 * is a {@link GatewayException.StreamInterrupted} and the partial usage is still charged. Thread-safe.
 */
final class AttemptRunner {

    /** A successful call. */
    record Outcome(ProviderResponse response, Usage usage, BigDecimal cost) {
    }

    private final Admission admission;
    private final Resilience resilience;
    private final Accounting accounting;
    private final GatewayMetrics metrics;
    private final Sleeper sleeper;
    private final Clock clock;

    AttemptRunner(Admission admission, Resilience resilience, Accounting accounting, GatewayMetrics metrics,
                  Sleeper sleeper, Clock clock) {
        this.admission = admission;
        this.resilience = resilience;
        this.accounting = accounting;
        this.metrics = metrics;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Calls {@code route} until it succeeds, fails for good, or its retries run out. */
    Outcome complete(Route route, ModelRequest request, CallContext context) {
        Retry.AsyncContext<Object> retry = resilience.retry(route.provider().name()).asyncContext();
        while (true) {
            Admission.Lease lease = null;
            try {
                lease = admission.admit(route, request, context);
                ProviderCall call = new ProviderCall(request, route.model(), lease.deployment().endpoint(),
                        context.workspaceId());
                ProviderResponse response = callWithTimeLimit(route, call, context);
                Usage usage = usage(request, response);
                lease.succeeded(usage);
                retry.onComplete();
                return finished(route, request, context, lease, response, usage);
            } catch (GatewayException e) {
                if (lease != null && !lease.isEnded()) {
                    end(lease, e, 0);
                    record(route, request, lease, null, e);
                }
                waitBeforeRetry(retry, e, route, context);
            } catch (RuntimeException bug) {
                abandonQuietly(lease, null);
                throw bug;
            }
        }
    }

    /** A provider or listener threw something unexpected: free what the attempt holds, say nothing about health. */
    private static void abandonQuietly(Admission.Lease lease, ProviderStream stream) {
        if (stream != null) {
            stream.cancel();
        }
        if (lease != null && !lease.isEnded()) {
            lease.abandoned(0);
        }
    }

    /**
     * Streams {@code route} into {@code listener}; retries only while no text has reached the listener.
     *
     * @throws GatewayException.StreamInterrupted when the stream fails after text was delivered
     */
    Outcome stream(Route route, ModelRequest request, CallContext context, StreamListener listener) {
        Retry.AsyncContext<Object> retry = resilience.retry(route.provider().name()).asyncContext();
        while (true) {
            Admission.Lease lease = null;
            ProviderStream stream = null;
            try {
                lease = admission.admit(route, request, context);
                stream = route.provider().provider().stream(new ProviderCall(request, route.model(),
                        lease.deployment().endpoint(), context.workspaceId()));
                ProviderStream.Event first = next(stream, firstEventTimeout(route, context), route, false);
                switch (first) {
                    case ProviderStream.Delta d -> {
                        retry.onComplete();
                        return new StreamSession(this, route, request, context, lease, stream).run(d.text(), listener);
                    }
                    case ProviderStream.Done done -> {
                        Usage usage = usage(request, done.response());
                        lease.succeeded(usage);
                        retry.onComplete();
                        return finished(route, request, context, lease, done.response(), usage);
                    }
                    case ProviderStream.Failed f -> throw f.error();
                }
            } catch (GatewayException e) {
                if (stream != null) {
                    stream.cancel();
                }
                if (lease != null && !lease.isEnded()) {
                    end(lease, e, 0);
                    record(route, request, lease, null, e);
                }
                waitBeforeRetry(retry, e, route, context);
            } catch (RuntimeException listenerOrBug) {
                abandonQuietly(lease, stream);
                throw listenerOrBug;
            }
        }
    }

    /** The next stream event within {@code timeout}; a silent upstream is cancelled and reported as a timeout. */
    ProviderStream.Event next(ProviderStream stream, Duration timeout, Route route, boolean idle) {
        try {
            ProviderStream.Event event = stream.poll(timeout);
            if (event == null) {
                stream.cancel();
                throw new GatewayException.Timeout(route.provider().name() + " sent nothing for " + timeout
                        + (idle ? " in the middle of a stream" : ""), route.provider().name(), route.model(), null, null);
            }
            return event;
        } catch (InterruptedException e) {
            stream.cancel();
            Thread.currentThread().interrupt();
            throw new GatewayException.Cancelled("stream from " + route.provider().name() + " was interrupted",
                    route.provider().name(), route.model(), e);
        }
    }

    private Duration firstEventTimeout(Route route, CallContext context) {
        return effectiveTimeout(route.provider().config().timeout(), route, context);
    }

    Duration idleTimeout(Route route, CallContext context) {
        return effectiveTimeout(route.provider().config().streamIdleTimeout(), route, context);
    }

    private Duration effectiveTimeout(Duration configured, Route route, CallContext context) {
        if (context.deadline() == null) {
            return configured;
        }
        Duration left = Duration.between(clock.instant(), context.deadline());
        if (!left.isPositive()) {
            throw new GatewayException.Timeout("the caller's deadline has passed", route.provider().name(),
                    route.model(), null, null);
        }
        return left.compareTo(configured) < 0 ? left : configured;
    }

    private ProviderResponse callWithTimeLimit(Route route, ProviderCall call, CallContext context) {
        Duration timeout = effectiveTimeout(route.provider().config().timeout(), route, context);
        AtomicReference<CompletableFuture<ProviderResponse>> started = new AtomicReference<>();
        String name = route.provider().name();
        try {
            return resilience.timeLimiter(name, timeout).executeFutureSupplier(() -> {
                CompletableFuture<ProviderResponse> f = route.provider().provider().complete(call);
                started.set(f);
                return f;
            });
        } catch (GatewayException e) {
            throw e;
        } catch (TimeoutException e) {
            throw new GatewayException.Timeout(name + " did not answer within " + timeout, name, route.model(), null, e);
        } catch (InterruptedException e) {
            CompletableFuture<ProviderResponse> f = started.get();
            if (f != null) {
                f.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new GatewayException.Cancelled("call to " + name + " was interrupted", name, route.model(), e);
        } catch (Exception e) {
            throw HttpErrorMapper.fromTransport(name, route.model(), e, call.endpoint().apiKey());
        }
    }

    private void waitBeforeRetry(Retry.AsyncContext<Object> retry, GatewayException e, Route route, CallContext context) {
        if (!Resilience.retriable(e) || isWorkspaceLimit(e) || (e instanceof GatewayException.Unavailable u
                && u.reason() == GatewayException.Unavailable.Reason.CIRCUIT_OPEN)) {
            retry.onError(e);
            throw e;
        }
        Duration asked = ((GatewayException.Retriable) e).retryAfter();
        if (asked != null && asked.compareTo(resilience.config().maxRetryAfter()) > 0) {
            throw e;
        }
        long delayMs = retry.onError(e);
        if (delayMs < 0) {
            throw e;
        }
        Duration delay = Duration.ofMillis(delayMs);
        Instant deadline = context.deadline();
        if (deadline != null && clock.instant().plus(delay).isAfter(deadline)) {
            throw e;
        }
        metrics.retry(route.provider().name(), route.model(), e);
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new GatewayException.Cancelled("interrupted while waiting to retry " + route.ref(),
                    route.provider().name(), route.model(), ie);
        }
    }

    /** The workspace's own limit: neither retrying soon nor another provider helps beyond the wait it names. */
    static boolean isWorkspaceLimit(GatewayException e) {
        return e instanceof GatewayException.RateLimited && e.provider() == null;
    }

    void end(Admission.Lease lease, GatewayException e, int usedTokens) {
        if (e instanceof GatewayException.Cancelled) {
            lease.abandoned(usedTokens);
        } else {
            lease.failed(e, usedTokens);
        }
    }

    static Usage usage(ModelRequest request, ProviderResponse response) {
        return response.usage() != null ? response.usage()
                : Usage.estimated(TokenEstimator.input(request), TokenEstimator.text(response.text()));
    }

    Outcome finished(Route route, ModelRequest request, CallContext context, Admission.Lease lease,
                     ProviderResponse response, Usage usage) {
        BigDecimal cost = accounting.charge(context.workspaceId(), route.provider(), route.model(), response.model(),
                usage, response.billedUsage());
        record(route, request, lease, response.model(), null);
        metrics.tokens(GatewayMetrics.operation(request.isChat()), route.provider().type(), route.provider().name(),
                route.model(), response.model() != null ? response.model() : route.model(), usage);
        return new Outcome(response, usage, cost);
    }

    /** Charges and counts what an interrupted stream consumed (estimated: the provider sent no usage). */
    void chargePartial(Route route, ModelRequest request, CallContext context, String partialText) {
        Usage usage = Usage.estimated(TokenEstimator.input(request), TokenEstimator.text(partialText));
        accounting.charge(context.workspaceId(), route.provider(), route.model(), null, usage, null);
        metrics.tokens(GatewayMetrics.operation(request.isChat()), route.provider().type(), route.provider().name(),
                route.model(), route.model(), usage);
    }

    void record(Route route, ModelRequest request, Admission.Lease lease, String responseModel, GatewayException e) {
        metrics.attempt(GatewayMetrics.operation(request.isChat()), route.provider().type(), route.provider().name(),
                route.model(), responseModel, lease.elapsed(), e);
    }

    GatewayMetrics metrics() {
        return metrics;
    }
}
