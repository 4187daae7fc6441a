package dev.switchboard.app.twilio;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the world reaches this server ({@code switchboard.public-base-url},
 * {@code switchboard.trusted-proxies}): webhook signatures are computed over the URL Twilio
 * called, and status callback URLs must be reachable by Twilio.
 *
 * @param publicBaseUrl e.g. {@code https://bot.example.com} or a tunnel's URL; when set, it is the
 *     only base URL signatures are checked against. Unset: the URL the request arrived at
 * @param trustedProxies IP addresses or CIDR ranges of reverse proxies whose
 *     {@code X-Forwarded-Proto/Host/Port} headers are believed (only when no public base URL is set);
 *     empty (default): those headers are ignored
 */
@ConfigurationProperties("switchboard")
public record PublicUrlProperties(URI publicBaseUrl, List<String> trustedProxies) {
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
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }
}
