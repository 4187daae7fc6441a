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
 */
record ProviderRuntime(String name, String type, ProviderConfig config, ModelProvider provider,
                       List<Endpoint> endpoints) {

    boolean allows(String model) {
        return config.models().isEmpty() || config.models().contains(model);
    }
}
