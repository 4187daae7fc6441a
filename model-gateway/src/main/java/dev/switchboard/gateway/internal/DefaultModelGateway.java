package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.BudgetStore;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.CredentialResolver;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelInfo;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.Sleeper;
import dev.switchboard.gateway.StreamEvent;
import dev.switchboard.gateway.StreamListener;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.internal.ProviderRegistry.Route;
import dev.switchboard.gateway.internal.http.HttpErrorMapper;
import dev.switchboard.gateway.internal.openai.OpenAiProvider;
import dev.switchboard.gateway.spi.Endpoint;
import dev.switchboard.gateway.spi.ProviderCall;
import dev.switchboard.gateway.spi.ProviderFactory;
import dev.switchboard.gateway.spi.ProviderResponse;
import dev.switchboard.gateway.spi.ProviderStream;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/** The gateway: resolves the fallback chain and runs each attempt. Thread-safe. */
public final class DefaultModelGateway implements ModelGateway {

    private final GatewayConfig config;
    private final Clock clock;
    private final CredentialResolver credentials;
    private final ProviderRegistry registry;

    public DefaultModelGateway(GatewayConfig config, Clock clock, Sleeper sleeper, MeterRegistry meters,
                               BudgetStore budgets, CredentialResolver credentials, RandomGenerator random,
                               Map<String, ProviderFactory> customFactories) {
        this.config = config;
        this.clock = clock;
        this.credentials = credentials;
        Map<String, ProviderFactory> factories = new LinkedHashMap<>();
        factories.put("openai", OpenAiProvider.OPENAI);
        factories.put("openai-compatible", OpenAiProvider.COMPATIBLE);
        factories.putAll(customFactories);
        this.registry = new ProviderRegistry(config, factories, clock);
    }

    @Override
    public ModelResponse call(ModelRequest request, CallContext context) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        if (request.stream()) {
            return stream(request, context, text -> { });
        }
        long started = System.nanoTime();
        List<Route> chain = chain(request);
        for (int i = 0; ; i++) {
            Route route = chain.get(i);
            try {
                ProviderResponse pr = completeOnce(route, request, context);
                return response(route, request, pr, started);
            } catch (GatewayException e) {
                if (i == chain.size() - 1 || !movesToFallback(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public ModelResponse stream(ModelRequest request, CallContext context, StreamListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(listener, "listener");
        long started = System.nanoTime();
        List<Route> chain = chain(request);
        for (int i = 0; ; i++) {
            Route route = chain.get(i);
            StreamAttempt attempt = new StreamAttempt();
            try {
                ProviderResponse pr = streamOnce(route, request, context, listener, attempt);
                return response(route, request, pr, started);
            } catch (GatewayException e) {
                if (attempt.delivered || i == chain.size() - 1 || !movesToFallback(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Flow.Publisher<StreamEvent> streamPublisher(ModelRequest request, CallContext context) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(context, "context");
        return new StreamPublisher(listener -> stream(request, context, listener));
    }

    @Override
    public List<ModelInfo> models() {
        return registry.models();
    }

    @Override
    public void close() {
        registry.close();
    }

    private List<Route> chain(ModelRequest request) {
        List<String> refs = new ArrayList<>(request.models());
        if (refs.size() == 1) {
            refs.addAll(config.fallbacks().getOrDefault(refs.getFirst(), List.of()));
        }
        return refs.stream().distinct().map(registry::resolve).toList();
    }

    private static boolean movesToFallback(GatewayException e) {
        return e instanceof GatewayException.Retriable || e instanceof GatewayException.ContextLengthExceeded;
    }

    private ProviderCall providerCall(Route route, ModelRequest request, CallContext context) {
        Endpoint endpoint = route.provider().endpoints().getFirst();
        var override = credentials.apiKey(context.workspaceId(), route.provider().name());
        if (override.isPresent()) {
            endpoint = new Endpoint(endpoint.id(), endpoint.baseUrl(), override.get(), endpoint.weight());
        }
        return new ProviderCall(request, route.model(), endpoint, context.workspaceId());
    }

    private ProviderResponse completeOnce(Route route, ModelRequest request, CallContext context) {
        ProviderCall call = providerCall(route, request, context);
        CompletableFuture<ProviderResponse> future = route.provider().provider().complete(call);
        String name = route.provider().name();
        try {
            return future.get(route.provider().config().timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new GatewayException.Timeout(name + " did not answer within "
                    + route.provider().config().timeout(), name, route.model(), null, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new GatewayException.Cancelled("call to " + name + " was interrupted", name, route.model(), e);
        } catch (ExecutionException e) {
            throw HttpErrorMapper.fromTransport(name, route.model(), e, call.endpoint().apiKey());
        }
    }

    /** Per-attempt stream state the fallback loop needs. */
    private static final class StreamAttempt {
        boolean delivered;
    }

    private ProviderResponse streamOnce(Route route, ModelRequest request, CallContext context,
                                        StreamListener listener, StreamAttempt attempt) {
        ProviderCall call = providerCall(route, request, context);
        String name = route.provider().name();
        ProviderStream stream = route.provider().provider().stream(call);
        StringBuilder text = new StringBuilder();
        Duration firstTimeout = route.provider().config().timeout();
        Duration idleTimeout = route.provider().config().streamIdleTimeout();
        try {
            while (true) {
                ProviderStream.Event event = stream.poll(attempt.delivered ? idleTimeout : firstTimeout);
                switch (event) {
                    case null -> {
                        stream.cancel();
                        throw failure(attempt, name, route.model(), text, new GatewayException.Timeout(
                                name + " sent nothing for " + (attempt.delivered ? idleTimeout : firstTimeout),
                                name, route.model(), null, null));
                    }
                    case ProviderStream.Delta d -> {
                        attempt.delivered = true;
                        text.append(d.text());
                        listener.onDelta(d.text());
                    }
                    case ProviderStream.Done done -> {
                        return done.response();
                    }
                    case ProviderStream.Failed f -> throw failure(attempt, name, route.model(), text, f.error());
                }
            }
        } catch (InterruptedException e) {
            stream.cancel();
            Thread.currentThread().interrupt();
            throw new GatewayException.Cancelled("stream from " + name + " was interrupted", name, route.model(), e);
        } catch (RuntimeException e) {
            stream.cancel();
            throw e;
        }
    }

    private static GatewayException failure(StreamAttempt attempt, String provider, String model, CharSequence text,
                                            GatewayException cause) {
        if (!attempt.delivered) {
            return cause;
        }
        return new GatewayException.StreamInterrupted("stream from " + provider + " failed after text was sent: "
                + cause.getMessage(), provider, model, text.toString(), cause);
    }

    private ModelResponse response(Route route, ModelRequest request, ProviderResponse pr, long startedNanos) {
        Usage usage = pr.usage() != null ? pr.usage()
                : Usage.estimated(TokenEstimator.input(request), TokenEstimator.text(pr.text()));
        return new ModelResponse(pr.id() != null ? pr.id() : "gw-" + UUID.randomUUID(), pr.text(), pr.finishReason(),
                usage, Duration.ofNanos(System.nanoTime() - startedNanos), route.provider().name(),
                pr.model() != null ? pr.model() : route.model(), null, false);
    }
}
