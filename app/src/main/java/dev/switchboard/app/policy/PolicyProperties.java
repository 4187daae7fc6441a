package dev.switchboard.app.policy;

import java.time.Duration;
import java.util.Base64;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the governance node kinds ({@code switchboard.policy.*}).
 *
 * @param vaultKey base64 of 32 bytes sealing the placeholder map of {@code policy.pii} with
 *     {@code restore: true}; empty: one is generated once and kept in the database
 *     ({@code policy_keys}), shared by every instance on that database
 * @param reviewDefaultTimeout how long a review waits when its node sets no timeout
 * @param reviewMaxTimeout the longest timeout a graph may set
 */
@ConfigurationProperties("switchboard.policy")
public record PolicyProperties(String vaultKey, @DefaultValue("24h") Duration reviewDefaultTimeout,
        @DefaultValue("30d") Duration reviewMaxTimeout) {
    public PolicyProperties {
        if (vaultKey != null && !vaultKey.isBlank()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(vaultKey.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("switchboard.policy.vault-key must be base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("switchboard.policy.vault-key must decode to 32 bytes, not " + key.length);
            }
        }
        if (reviewDefaultTimeout.isNegative() || reviewDefaultTimeout.isZero()
                || reviewMaxTimeout.compareTo(reviewDefaultTimeout) < 0) {
            throw new IllegalArgumentException(
                    "switchboard.policy.review-default-timeout must be > 0 and <= switchboard.policy.review-max-timeout");
        }
    }

    byte[] vaultKeyBytes() {
        return vaultKey == null || vaultKey.isBlank() ? null : Base64.getDecoder().decode(vaultKey.strip());
    }
}
