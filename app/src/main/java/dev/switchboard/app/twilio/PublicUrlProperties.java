package dev.switchboard.app.twilio;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the world reaches this server ({@code switchboard.public-base-url}; which proxies' forwarding
 * headers count is {@code switchboard.http.trusted-proxies}, see {@code TrustedProxies}): webhook signatures are computed over the URL Twilio
 * called, and status callback URLs must be reachable by Twilio.
 *
 * @param publicBaseUrl e.g. {@code https://bot.example.com} or a tunnel's URL; when set, it is the
 *     only base URL signatures are checked against. Unset: the URL the request arrived at
 */
@ConfigurationProperties("switchboard")
public record PublicUrlProperties(URI publicBaseUrl) {
    public PublicUrlProperties {
        if (publicBaseUrl != null && publicBaseUrl.toString().isBlank()) {
            publicBaseUrl = null;
        }
        if (publicBaseUrl != null) {
            String scheme = publicBaseUrl.getScheme();
            if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || publicBaseUrl.getHost() == null
                    || publicBaseUrl.getQuery() != null || publicBaseUrl.getFragment() != null) {
                throw new IllegalArgumentException(
                        "switchboard.public-base-url must be an http(s) URL without query, e.g. https://bot.example.com; was "
                                + publicBaseUrl);
            }
        }
    }
}
