package dev.switchboard.app.gateway;

import dev.switchboard.app.outbound.OutboundGuard;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelInfo;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.StreamEvent;
import dev.switchboard.gateway.StreamListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's {@link ModelGateway}: the operator-configured gateway, plus for each workspace that has
 * its own OpenAI-compatible endpoints ({@link WorkspaceProviderStore}) a gateway of those. A call
 * goes to the workspace's gateway when every model ref of its chain names one of the workspace's
 * endpoints, else to the configured one; a chain mixing both is refused.
 *
 * <p>A workspace's gateway is built on first use and rebuilt in the background every
 * {@link #REBUILD_AFTER} of use (and at once after a change through this replica), so user-supplied URLs pass the
 * {@link OutboundGuard} again; an endpoint it refuses answers with that reason. Budgets and
 * metrics are shared with the configured gateway; circuit breakers and workspace rate limits are
 * kept per gateway. Thread-safe.
 */
public final class WorkspaceModelGateway implements ModelGateway {

    private static final Logger log = LoggerFactory.getLogger(WorkspaceModelGateway.class);
    static final Duration REBUILD_AFTER = Duration.ofMinutes(5);
    static final Duration CLOSE_GRACE = Duration.ofMinutes(10);

    /** A workspace's endpoints: its gateway (null without usable endpoints) and those it could not use. */
    private record Own(ModelGateway gateway, List<String> names, Map<String, String> refused) {
        static final Own NONE = new Own(null, List.of(), Map.of());

        boolean owns(String provider) {
            return names.contains(provider) || refused.containsKey(provider);
        }
    }

    private final ModelGateway configured;
    private final GatewayConfig config;
    private final Function<GatewayConfig, ModelGateway> builder;
    private final WorkspaceProviderStore store;
    private final OutboundGuard policy;
    private final LoadingCache<UUID, Own> own;
    private volatile boolean closing;

    /**
     * @param configured the operator's gateway
     * @param config     its configuration (resilience, prices, cache and limits are reused for workspace gateways)
     * @param builder    builds a gateway of workspace endpoints with the shared budgets and metrics
     */
    WorkspaceModelGateway(ModelGateway configured, GatewayConfig config, Function<GatewayConfig, ModelGateway> builder,
                          WorkspaceProviderStore store, OutboundGuard policy) {
        this.configured = configured;
        this.config = config;
        this.builder = builder;
        this.store = store;
        this.policy = policy;
        // rebuilt in the background once older than REBUILD_AFTER (callers keep the old one meanwhile)
        this.own = Caffeine.newBuilder().refreshAfterWrite(REBUILD_AFTER).expireAfterAccess(Duration.ofHours(1))
                .maximumSize(10_000)
                .removalListener((UUID workspace, Own value, RemovalCause cause) -> {
                    if (!closing) {
                        closeLater(value);
                    }
                }).build(this::build);
    }

    @Override
    public ModelResponse call(ModelRequest request, CallContext context) {
        return route(request, context).call(request, context);
    }

    @Override
    public ModelResponse stream(ModelRequest request, CallContext context, StreamListener listener) {
        return route(request, context).stream(request, context, listener);
    }

    @Override
    public Flow.Publisher<StreamEvent> streamPublisher(ModelRequest request, CallContext context) {
        return route(request, context).streamPublisher(request, context);
    }

    /** The configured models. */
    @Override
    public List<ModelInfo> models() {
        return configured.models();
    }

    /** The configured models and the workspace's own. */
    public List<ModelInfo> models(String workspaceId) {
        UUID workspace = WorkspaceIds.parse(workspaceId);
        Own mine = workspace == null ? Own.NONE : own(workspace);
        if (mine.gateway() == null) {
            return configured.models();
        }
        List<ModelInfo> all = new ArrayList<>(configured.models());
        all.addAll(mine.gateway().models());
        return all;
    }

    /** Forgets the workspace's gateway after its endpoints changed (the next call rebuilds it). */
    void invalidate(UUID workspace) {
        own.invalidate(workspace);
    }

    /** The configured provider names (workspace endpoints may not reuse them). */
    List<String> configuredProviders() {
        return List.copyOf(config.providers().keySet());
    }

    private ModelGateway route(ModelRequest request, CallContext context) {
        UUID workspace = WorkspaceIds.parse(context.workspaceId());
        if (workspace == null) {
            return configured;
        }
        Own mine = own(workspace);
        if (mine.names().isEmpty() && mine.refused().isEmpty()) {
            return configured;
        }
        int owned = 0;
        for (String ref : request.models()) {
            int slash = ref.indexOf('/');
            String provider = slash < 0 ? null : ref.substring(0, slash);
            if (provider != null && mine.owns(provider)) {
                String refusal = mine.refused().get(provider);
                if (refusal != null) {
                    throw new GatewayException.InvalidRequest("model", "this workspace's endpoint '" + provider
                            + "' cannot be used: " + refusal);
                }
                owned++;
            }
        }
        if (owned == 0) {
            return configured;
        }
        if (owned < request.models().size()) {
            throw new GatewayException.InvalidRequest("model", "a fallback chain cannot mix this workspace's own endpoints ("
                    + String.join(", ", mine.names()) + ") with configured providers");
        }
        return mine.gateway();
    }

    private Own own(UUID workspace) {
        return own.get(workspace);
    }

    private Own build(UUID workspace) {
        List<WorkspaceProviderStore.Endpoint> endpoints = store.endpoints(workspace);
        if (endpoints.isEmpty()) {
            return Own.NONE;
        }
        Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (WorkspaceProviderStore.Endpoint e : endpoints) {
            String problem = e.problem() != null ? e.problem()
                    : policy.refusal(e.baseUrl()).map(r -> "its URL " + r).orElse(null);
            if (problem != null) {
                log.warn("Endpoint '{}' of workspace {} is not used: {}", e.name(), workspace, problem);
                refused.put(e.name(), problem);
            } else {
                providers.put(e.name(), ProviderConfig.of("openai-compatible", e.baseUrl(), e.apiKey()).withModels(e.models()));
            }
        }
        ModelGateway gateway = providers.isEmpty() ? null : builder.apply(new GatewayConfig(providers, Map.of(),
                config.resilience(), config.workspaceLimits(), config.workspaces(), config.prices(), config.cache(),
                config.defaultMaxTokens()));
        return new Own(gateway, List.copyOf(providers.keySet()), refused);
    }

    /**
     * Closes a replaced gateway after {@link #CLOSE_GRACE}, off the caller's thread: calls (and streams) that
     * started on it before the replacement finish first; closing aborts what still runs then.
     */
    private static void closeLater(Own replaced) {
        if (replaced != null && replaced.gateway() != null) {
            Thread.ofVirtual().name("workspace-gateway-close").start(() -> {
                try {
                    Thread.sleep(CLOSE_GRACE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                replaced.gateway().close();
            });
        }
    }

    @Override
    public void close() {
        closing = true;
        own.asMap().values().forEach(o -> {
            if (o.gateway() != null) {
                o.gateway().close();
            }
        });
        own.invalidateAll();
        configured.close();
    }
}
