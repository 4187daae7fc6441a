package dev.switchboard.gateway;

import java.net.URI;

/**
 * One deployment of a provider (e.g. one GPU server, one account key). Calls for a model of the provider are
 * balanced across its endpoints by weight, skipping those whose circuit is open. {@link #toString()} hides the key.
 *
 * @param baseUrl null: the provider's base URL
 * @param apiKey  null: the provider's key
 * @param weight  relative share of traffic (default 1)
 */
public record EndpointConfig(URI baseUrl, String apiKey, Integer weight) {

    public EndpointConfig {
        weight = ProviderConfig.atLeastOne(weight == null ? 1 : weight, "weight");
    }

    @Override
    public String toString() {
        return "EndpointConfig[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "inherited" : "****")
                + ", weight=" + weight + "]";
    }
}
