package dev.switchboard.app.apps;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param headCacheTtl how long a process remembers which version of an app runs (its latest
 *     version and draft revision). Changes made through this process take effect at once; changes
 *     made through another replica within this time. 0 disables the cache.
 */
@ConfigurationProperties("switchboard.apps")
public record AppProperties(@DefaultValue("1s") Duration headCacheTtl) {
    public AppProperties {
        if (headCacheTtl == null || headCacheTtl.isNegative()) {
            throw new IllegalArgumentException("switchboard.apps.head-cache-ttl must be >= 0");
        }
    }
}
