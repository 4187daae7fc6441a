package dev.switchboard.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole gateway configuration ({@code switchboard.gateway.*}). Null components take defaults.
 *
 * @param providers        provider name → settings. The name is the first part of a model ref {@code name/model}
 * @param fallbacks        model ref → fallback refs, used when a request names only that ref
 * @param resilience       retry and circuit-breaker settings
 * @param workspaceLimits  RPM/TPM every workspace gets unless overridden
 * @param workspaces       workspace id → its own RPM/TPM
 * @param prices           {@code provider/model}, {@code type/model} or {@code model} → price, overriding the
 *                         built-in table
 * @param cache            exact-match cache
 * @param defaultMaxTokens {@code max_tokens} sent to providers that require one (Anthropic) when a request has none
 *                         (default 1024)
 */
public record GatewayConfig(Map<String, ProviderConfig> providers, Map<String, List<String>> fallbacks,
                            ResilienceConfig resilience, RateLimitConfig workspaceLimits,
                            Map<String, RateLimitConfig> workspaces, Map<String, ModelPrice> prices,
                            CacheConfig cache, Integer defaultMaxTokens) {

    public GatewayConfig {
        providers = providers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(providers));
        for (var e : providers.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getKey().contains("/")) {
                throw new IllegalArgumentException("providers: name '" + e.getKey() + "' must be non-blank without '/'");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("providers." + e.getKey() + " must not be null");
            }
        }
        fallbacks = fallbacks == null ? Map.of() : Map.copyOf(fallbacks);
        resilience = resilience == null ? ResilienceConfig.DEFAULTS : resilience;
        workspaceLimits = workspaceLimits == null ? RateLimitConfig.UNLIMITED : workspaceLimits;
        workspaces = workspaces == null ? Map.of() : Map.copyOf(workspaces);
        prices = prices == null ? Map.of() : Map.copyOf(prices);
        cache = cache == null ? CacheConfig.DISABLED : cache;
        defaultMaxTokens = ProviderConfig.atLeastOne(defaultMaxTokens == null ? 1024 : defaultMaxTokens, "defaultMaxTokens");
    }

    /** Only providers; everything else default. */
    public static GatewayConfig of(Map<String, ProviderConfig> providers) {
        return builder().providers(providers).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Convenience builder for code and tests; the app may also call the canonical constructor. */
    public static final class Builder {
        private final Map<String, ProviderConfig> providers = new LinkedHashMap<>();
        private final Map<String, List<String>> fallbacks = new LinkedHashMap<>();
        private ResilienceConfig resilience;
        private RateLimitConfig workspaceLimits;
        private final Map<String, RateLimitConfig> workspaces = new LinkedHashMap<>();
        private final Map<String, ModelPrice> prices = new LinkedHashMap<>();
        private CacheConfig cache;
        private Integer defaultMaxTokens;

        public Builder provider(String name, ProviderConfig config) { providers.put(name, config); return this; }
        public Builder providers(Map<String, ProviderConfig> all) { providers.putAll(all); return this; }
        public Builder fallback(String ref, List<String> chain) { fallbacks.put(ref, chain); return this; }
        public Builder resilience(ResilienceConfig value) { resilience = value; return this; }
        public Builder workspaceLimits(RateLimitConfig value) { workspaceLimits = value; return this; }
        public Builder workspace(String id, RateLimitConfig value) { workspaces.put(id, value); return this; }
        public Builder price(String key, ModelPrice value) { prices.put(key, value); return this; }
        public Builder cache(CacheConfig value) { cache = value; return this; }
        public Builder defaultMaxTokens(int value) { defaultMaxTokens = value; return this; }

        public GatewayConfig build() {
            return new GatewayConfig(providers, fallbacks, resilience, workspaceLimits, workspaces, prices, cache,
                    defaultMaxTokens);
        }
    }
}
