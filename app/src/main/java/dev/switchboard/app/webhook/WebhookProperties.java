package dev.switchboard.app.webhook;

import static dev.switchboard.app.support.PropertyChecks.positive;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of {@code webhook} nodes ({@code switchboard.webhooks.*}).
 *
 * @param allowedUrls deprecated: webhook destinations are decided by the outbound guard
 *     ({@code switchboard.outbound.*}) like every user-supplied URL. Entries here are still honoured
 *     by adding their host and port to {@code switchboard.outbound.allow} (with a warning at start).
 * @param timeout how long one delivery attempt may take
 */
@ConfigurationProperties("switchboard.webhooks")
public record WebhookProperties(List<String> allowedUrls, @DefaultValue("10s") Duration timeout) {
    public WebhookProperties {
        allowedUrls = allowedUrls == null ? List.of() : allowedUrls.stream().map(String::strip).filter(u -> !u.isEmpty()).toList();
        for (String url : allowedUrls) {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("switchboard.webhooks.allowed-urls: '" + url + "' is not an http(s) URL");
            }
        }
        positive(timeout, "switchboard.webhooks.timeout");
    }
}
