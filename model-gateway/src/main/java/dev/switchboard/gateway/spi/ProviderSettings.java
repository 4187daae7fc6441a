package dev.switchboard.gateway.spi;

import dev.switchboard.gateway.ProviderConfig;
import java.net.ProxySelector;
import java.time.Clock;

/**
 * What a provider is built from.
 *
 * @param name             the configured provider name (first part of model refs)
 * @param type             the resolved provider type
 * @param config           the provider's configuration (never shown in logs: it holds the key)
 * @param defaultMaxTokens max tokens to send when a request has none and the API requires a value
 * @param clock            the gateway's clock
 * @param proxy            where HTTP providers must open their connections through, or null for direct
 *                         connections (the app routes workspaces' own endpoints through its SSRF guard)
 */
public record ProviderSettings(String name, String type, ProviderConfig config, int defaultMaxTokens, Clock clock,
                               ProxySelector proxy) {

    /** Settings with direct connections. */
    public ProviderSettings(String name, String type, ProviderConfig config, int defaultMaxTokens, Clock clock) {
        this(name, type, config, defaultMaxTokens, clock, null);
    }
}
