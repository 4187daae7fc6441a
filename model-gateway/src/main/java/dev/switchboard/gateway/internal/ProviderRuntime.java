package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.spi.Endpoint;
import dev.switchboard.gateway.spi.ModelProvider;
import java.util.List;

/**
 * A configured provider as the gateway uses it: its implementation and its deployments.
 *
 * @param name      the configured name
 * @param type      the resolved type
 * @param config    its configuration
 * @param provider  the implementation
 * @param endpoints its deployments (at least one)
 * @param models    its allow-list: the configured one, else the names the provider declares; empty = any
 */
record ProviderRuntime(String name, String type, ProviderConfig config, ModelProvider provider,
                       List<Endpoint> endpoints, List<String> models) {

    ProviderRuntime(String name, String type, ProviderConfig config, ModelProvider provider, List<Endpoint> endpoints) {
        this(name, type, config, provider, endpoints,
                config.models().isEmpty() ? List.copyOf(provider.models()) : config.models());
    }

    boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }
}
