package dev.switchboard.gateway;

import java.time.Duration;

/**
 * Exact-match response cache for deterministic requests ({@code temperature} exactly 0). Entries are per
 * workspace. Null components take the defaults named.
 *
 * @param enabled    default false
 * @param ttl        time an entry lives after it was written (default 10 min)
 * @param maxEntries size bound (default 10,000)
 */
public record CacheConfig(Boolean enabled, Duration ttl, Long maxEntries) {

    public static final CacheConfig DISABLED = new CacheConfig(false, null, null);

    public CacheConfig {
        enabled = enabled != null && enabled;
        ttl = ProviderConfig.positiveOr(ttl, Duration.ofMinutes(10), "ttl");
        maxEntries = maxEntries == null ? 10_000L : maxEntries;
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1 (was " + maxEntries + ")");
        }
    }

    public static CacheConfig enabled(Duration ttl, long maxEntries) {
        return new CacheConfig(true, ttl, maxEntries);
    }
}
