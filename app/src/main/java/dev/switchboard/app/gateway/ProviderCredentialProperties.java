package dev.switchboard.app.gateway;

import static dev.switchboard.app.support.PropertyChecks.notNegative;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code switchboard.provider-credentials.*}.
 *
 * @param cacheTtl how long a decrypted workspace key is reused before it is read again (other
 *                 replicas see a changed or deleted key within this time; this replica at once)
 */
@ConfigurationProperties("switchboard.provider-credentials")
public record ProviderCredentialProperties(@DefaultValue("30s") Duration cacheTtl) {

    public ProviderCredentialProperties {
        notNegative(cacheTtl, "switchboard.provider-credentials.cache-ttl");
    }
}
