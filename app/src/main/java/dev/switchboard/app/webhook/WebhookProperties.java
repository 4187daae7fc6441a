package dev.switchboard.app.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where {@code webhook} nodes may deliver ({@code switchboard.webhooks.*}).
 *
 * @param allowedUrls URL prefixes an operator trusts as webhook destinations (e.g.
 *     {@code https://hooks.example.com/}); a node whose {@code url} starts with none of them is
 *     refused when the graph is validated. Empty (the default): no webhook node validates. Graph
 *     URLs are user input; this allow-list keeps them from reaching internal services (SSRF).
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
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("switchboard.webhooks.timeout must be > 0");
        }
    }

    /** True when {@code url} is an http(s) URL under one of the allowed prefixes. */
    boolean allows(URI url) {
        String text = url.toString();
        return allowedUrls.stream().anyMatch(prefix -> text.startsWith(prefix)
                && (prefix.endsWith("/") || text.length() == prefix.length() || "/?#".indexOf(text.charAt(prefix.length())) >= 0));
    }
}
