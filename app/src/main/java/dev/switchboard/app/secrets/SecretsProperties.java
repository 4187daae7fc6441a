package dev.switchboard.app.secrets;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the master keys that encrypt secrets at rest (provider API keys, Twilio auth tokens) come
 * from. Keys are 32 random bytes, base64-encoded.
 *
 * @param masterKey the current key (env {@code SWITCHBOARD_SECRETS_MASTER_KEY}); takes precedence
 *     over {@code masterKeyFile}
 * @param masterKeyFile a file holding the current key; when neither is set, {@code
 *     <data-dir>/secrets/master.key} is used and created (mode 600) on first start
 * @param previousKeys keys that may still have sealed stored secrets: they decrypt, never encrypt
 *     (rotation: put the old key here, the new one in {@code masterKey}, then re-seal)
 */
@ConfigurationProperties("switchboard.secrets")
public record SecretsProperties(String masterKey, Path masterKeyFile, List<String> previousKeys) {
    public SecretsProperties {
        masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey.strip();
        previousKeys = previousKeys == null ? List.of() : List.copyOf(previousKeys);
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "SecretsProperties[masterKey=" + (masterKey == null ? "unset" : "***")
                + ", masterKeyFile=" + masterKeyFile + ", previousKeys=" + previousKeys.size() + "]";
    }
}
