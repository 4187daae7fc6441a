package dev.switchboard.gateway.spi;

/** Creates a provider from its settings; registered per provider type with the gateway builder. */
@FunctionalInterface
public interface ProviderFactory {

    ModelProvider create(ProviderSettings settings);
}
