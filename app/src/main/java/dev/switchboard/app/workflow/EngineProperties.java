package dev.switchboard.app.workflow;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param defaultNodeTimeout per-attempt timeout of nodes that set none
 * @param graphCacheSize compiled graphs kept (one per app version or draft revision)
 */
@ConfigurationProperties("switchboard.engine")
public record EngineProperties(@DefaultValue("5m") Duration defaultNodeTimeout,
        @DefaultValue("2000") int graphCacheSize) {
    public EngineProperties {
        if (defaultNodeTimeout == null || defaultNodeTimeout.isNegative() || defaultNodeTimeout.isZero()) {
            throw new IllegalArgumentException("switchboard.engine.default-node-timeout must be > 0");
        }
        if (graphCacheSize < 1) {
            throw new IllegalArgumentException("switchboard.engine.graph-cache-size must be >= 1, was " + graphCacheSize);
        }
    }
}
