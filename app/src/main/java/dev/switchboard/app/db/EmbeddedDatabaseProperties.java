package dev.switchboard.app.db;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the embedded PostgreSQL (used only when {@code spring.datasource.url} is unset).
 *
 * @param port localhost port; 0 picks a free one at every start
 * @param settings extra {@code postgresql.conf} settings ({@code switchboard.db.embedded.settings.shared_buffers=256MB})
 */
@ConfigurationProperties("switchboard.db.embedded")
public record EmbeddedDatabaseProperties(@DefaultValue("0") int port, Map<String, String> settings) {

    public EmbeddedDatabaseProperties {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("switchboard.db.embedded.port must be between 0 and 65535, was " + port);
        }
        settings = settings == null ? Map.of() : Map.copyOf(settings);
    }
}
