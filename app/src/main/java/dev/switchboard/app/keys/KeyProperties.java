package dev.switchboard.app.keys;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param cacheTtl how long a key lookup is cached in this process; a key revoked through another
 *     replica stops working here within this time (through this one: at once)
 * @param cacheSize most keys (valid or not) remembered
 */
@ConfigurationProperties("switchboard.keys")
public record KeyProperties(@DefaultValue("10s") Duration cacheTtl, @DefaultValue("10000") int cacheSize) {
    public KeyProperties {
        if (cacheTtl == null || cacheTtl.isNegative()) {
            throw new IllegalArgumentException("switchboard.keys.cache-ttl must be >= 0");
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("switchboard.keys.cache-size must be >= 1, was " + cacheSize);
        }
    }
}
