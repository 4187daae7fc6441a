package dev.switchboard.app;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Top-level settings (env {@code SWITCHBOARD_DATA_DIR}, {@code SWITCHBOARD_API_KEY},
 * {@code SWITCHBOARD_INSTANCE_ID}). Feature settings live in their own records under
 * {@code switchboard.<feature>}.
 *
 * @param dataDir where the embedded PostgreSQL keeps its cluster (unused with an external database)
 * @param apiKey bootstrap admin key of the default workspace; blank for none
 * @param instanceId names this process in the runs it executes, so a restarted process can tell
 *     its own interrupted runs from another replica's; blank: the host name
 */
@ConfigurationProperties("switchboard")
public record SwitchboardProperties(@DefaultValue("./data") Path dataDir, String apiKey, String instanceId) {

    public SwitchboardProperties {
        if (dataDir == null) {
            dataDir = Path.of("./data");
        }
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        instanceId = instanceId == null || instanceId.isBlank() ? null : instanceId.strip();
    }
}
