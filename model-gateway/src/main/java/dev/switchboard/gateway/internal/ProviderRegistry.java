package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.EndpointConfig;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelInfo;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.spi.Endpoint;
import dev.switchboard.gateway.spi.ProviderFactory;
import dev.switchboard.gateway.spi.ProviderSettings;
import java.net.ProxySelector;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provider name → runtime, and model-ref resolution. A ref {@code provider/model} passes the model through
 * (models may themselves contain {@code /}); a provider with an allow-list accepts only those names. A bare
 * model name resolves when exactly one provider lists it. Immutable after construction; thread-safe.
 */
final class ProviderRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);
    /** Types whose provider name may stand for the type (a provider named {@code anthropic} is of type anthropic). */
    private static final Set<String> NAMED_TYPES = Set.of("openai", "anthropic", "cohere", "ai21", "local");

    /** A resolved model ref. */
    record Route(ProviderRuntime provider, String model) {
        String ref() {
            return provider.name() + "/" + model;
        }
    }

    private final Map<String, ProviderRuntime> providers = new LinkedHashMap<>();

    ProviderRegistry(GatewayConfig config, Map<String, ProviderFactory> factories, Clock clock, ProxySelector proxy) {
        for (var e : config.providers().entrySet()) {
            String name = e.getKey();
            ProviderConfig pc = e.getValue();
            String type = pc.type() != null ? pc.type() : NAMED_TYPES.contains(name) ? name : "openai-compatible";
            ProviderFactory factory = factories.get(type);
            if (factory == null) {
                close();
                throw new IllegalArgumentException("providers." + name + ".type: unknown provider type '" + type
                        + "' (known: " + String.join(", ", factories.keySet()) + ")");
            }
            try {
                var provider = factory.create(new ProviderSettings(name, type, pc, config.defaultMaxTokens(), clock, proxy));
                providers.put(name, new ProviderRuntime(name, type, pc, provider, endpoints(name, pc)));
            } catch (RuntimeException ex) {
                close();
                throw ex;
            }
        }
    }

    private static List<Endpoint> endpoints(String name, ProviderConfig pc) {
        if (pc.endpoints().isEmpty()) {
            return List.of(new Endpoint(name + "#0", pc.baseUrl(), Secret.ofNullable(pc.apiKey()), 1));
        }
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < pc.endpoints().size(); i++) {
            EndpointConfig ec = pc.endpoints().get(i);
            list.add(new Endpoint(name + "#" + i, ec.baseUrl() != null ? ec.baseUrl() : pc.baseUrl(),
                    Secret.ofNullable(ec.apiKey() != null ? ec.apiKey() : pc.apiKey()), ec.weight()));
        }
        return List.copyOf(list);
    }

    /** Resolves a ref or throws {@link GatewayException.UnknownModel} listing the known refs. */
    Route resolve(String ref) {
        int slash = ref.indexOf('/');
        if (slash < 0) {
            return resolveBare(ref);
        }
        ProviderRuntime p = providers.get(ref.substring(0, slash));
        String model = ref.substring(slash + 1);
        if (p == null || model.isBlank() || !p.allows(model)) {
            throw new GatewayException.UnknownModel(ref, knownRefs());
        }
        return new Route(p, model);
    }

    private Route resolveBare(String model) {
        Route found = null;
        for (ProviderRuntime p : providers.values()) {
            if (p.models().contains(model)) {
                if (found != null) {
                    throw new GatewayException.UnknownModel(model, knownRefs());
                }
                found = new Route(p, model);
            }
        }
        if (found == null) {
            throw new GatewayException.UnknownModel(model, knownRefs());
        }
        return found;
    }

    List<ModelInfo> models() {
        List<ModelInfo> list = new ArrayList<>();
        for (ProviderRuntime p : providers.values()) {
            if (p.models().isEmpty()) {
                list.add(new ModelInfo(p.name() + "/*", p.name(), "*", p.type()));
            } else {
                p.models().forEach(m -> list.add(new ModelInfo(p.name() + "/" + m, p.name(), m, p.type())));
            }
        }
        return List.copyOf(list);
    }

    List<String> knownRefs() {
        return models().stream().map(ModelInfo::ref).toList();
    }

    java.util.Collection<ProviderRuntime> all() {
        return providers.values();
    }

    @Override
    public void close() {
        for (ProviderRuntime p : providers.values()) {
            try {
                p.provider().close();
            } catch (Exception e) {
                LOG.warn("closing provider '{}' failed: {}", p.name(), e.toString());
            }
        }
    }
}
