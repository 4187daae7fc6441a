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
import dev.switchboard.gateway.internal.ProviderRegistry.Route;
import dev.switchboard.gateway.internal.ai21.Ai21Provider;
import dev.switchboard.gateway.internal.anthropic.AnthropicProvider;
import dev.switchboard.gateway.internal.cohere.CohereProvider;
import dev.switchboard.gateway.internal.local.LocalProvider;
import dev.switchboard.gateway.internal.openai.OpenAiProvider;
import dev.switchboard.gateway.spi.ProviderFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.net.ProxySelector;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.random.RandomGenerator;

/**
 * The gateway: validation, cache, budget check, then the fallback chain, each ref run by the
 * {@link AttemptRunner} (limits, breaker, bulkhead, time limit, retries, accounting). Thread-safe.
 */
public final class DefaultModelGateway implements ModelGateway {

    private final GatewayConfig config;
    private final ProviderRegistry registry;
    private final GatewayMetrics metrics;
    private final Accounting accounting;
    private final ResponseCache cache;
    private final AttemptRunner runner;

    public DefaultModelGateway(GatewayConfig config, Clock clock, Sleeper sleeper, MeterRegistry meters,
                               BudgetStore budgets, CredentialResolver credentials, RandomGenerator random,
                               Map<String, ProviderFactory> customFactories, ProxySelector proxy) {
        this.config = config;
        Map<String, ProviderFactory> factories = new LinkedHashMap<>();
        factories.put("openai", OpenAiProvider.OPENAI);
        factories.put("openai-compatible", OpenAiProvider.COMPATIBLE);
        factories.put("anthropic", AnthropicProvider.FACTORY);
        factories.put("cohere", CohereProvider.FACTORY);
        factories.put("ai21", Ai21Provider.FACTORY);
        factories.put("local", LocalProvider.FACTORY);
        factories.putAll(customFactories);
        this.registry = new ProviderRegistry(config, factories, clock, proxy);
        this.metrics = new GatewayMetrics(meters);
        Resilience resilience = new Resilience(config.resilience(), clock, random, meters);
        DeploymentPool pool = new DeploymentPool(resilience, clock, random);
        Admission admission = new Admission(config, resilience, pool, credentials, metrics, clock);
        this.accounting = new Accounting(new PriceTable(config.prices()), budgets, metrics);
        this.cache = new ResponseCache(config.cache(), clock);
        this.runner = new AttemptRunner(admission, resilience, accounting, metrics, sleeper, clock);
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
        ResponseCache.Key key = cache.key(request, context.workspaceId());
        ModelResponse hit = cached(key, started);
        if (hit != null) {
            return hit;
        }
        accounting.checkBudget(context.workspaceId());
        for (int i = 0; ; i++) {
            Route route = chain.get(i);
            try {
                ModelResponse response = response(route, runner.complete(route, request, context), started);
                cache.put(key, response);
                return response;
            } catch (GatewayException e) {
                moveToFallbackOrThrow(chain, i, e);
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
        ResponseCache.Key key = cache.key(request, context.workspaceId());
        ModelResponse hit = cached(key, started);
        if (hit != null) {
            if (!hit.text().isEmpty()) {
                listener.onDelta(hit.text());
            }
            return hit;
        }
        accounting.checkBudget(context.workspaceId());
        for (int i = 0; ; i++) {
            Route route = chain.get(i);
            try {
                ModelResponse response = response(route, runner.stream(route, request, context, listener), started);
                cache.put(key, response);
                return response;
            } catch (GatewayException e) {
                moveToFallbackOrThrow(chain, i, e);
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

    /**
     * Fallback happens on retriable errors (retries of that ref exhausted) and on context-length errors, never
     * after a stream delivered text and never for the workspace's own rate limit.
     */
    private void moveToFallbackOrThrow(List<Route> chain, int index, GatewayException e) {
        boolean fallsBack = (Resilience.retriable(e) && !AttemptRunner.isWorkspaceLimit(e))
                || e instanceof GatewayException.ContextLengthExceeded;
        if (!fallsBack || index == chain.size() - 1) {
            throw e;
        }
        metrics.fallback(chain.get(index).ref(), chain.get(index + 1).ref(), e);
    }

    private ModelResponse cached(ResponseCache.Key key, long startedNanos) {
        if (key == null) {
            return null;
        }
        ModelResponse hit = cache.get(key);
        metrics.cache(hit != null);
        if (hit == null) {
            return null;
        }
        return new ModelResponse(hit.id(), hit.text(), hit.finishReason(), hit.usage(),
                Duration.ofNanos(System.nanoTime() - startedNanos), hit.provider(), hit.model(), BigDecimal.ZERO, true);
    }

    private static ModelResponse response(Route route, AttemptRunner.Outcome outcome, long startedNanos) {
        var pr = outcome.response();
        return new ModelResponse(pr.id() != null ? pr.id() : "gw-" + UUID.randomUUID(), pr.text(), pr.finishReason(),
                outcome.usage(), Duration.ofNanos(System.nanoTime() - startedNanos), route.provider().name(),
                pr.model() != null ? pr.model() : route.model(), outcome.cost(), false);
    }
}
