package dev.switchboard.app.twilio;

import dev.switchboard.app.web.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The public URL a request was made to — what Twilio signed. With {@code switchboard.public-base-url}
 * set, that base plus the request's path and query; otherwise the scheme and {@code Host} the request
 * arrived with, where {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} count only when the
 * connection comes from one of the {@link TrustedProxies} ({@code switchboard.http.trusted-proxies};
 * anyone else could forge them).
 * Thread-safe and immutable.
 */
@Component
public class PublicUrls {

    private final String configuredBase;
    private final TrustedProxies trusted;

    PublicUrls(PublicUrlProperties properties, TrustedProxies trusted) {
        this.configuredBase = properties.publicBaseUrl() == null ? null : stripSlash(properties.publicBaseUrl().toString());
        this.trusted = trusted;
    }

    /** The configured {@code switchboard.public-base-url} (no trailing slash), if any. */
    public Optional<String> configuredBase() {
        return Optional.ofNullable(configuredBase);
    }

    /** {@code scheme://host[:port][/prefix]} that the request was made to (no trailing slash). */
    public String baseOf(HttpServletRequest request) {
        if (configuredBase != null) {
            return configuredBase;
        }
        String scheme = request.getScheme();
        String host = request.getHeader("Host");
        String port = null;
        if (isTrustedProxy(request.getRemoteAddr())) {
            scheme = firstValue(request.getHeader("X-Forwarded-Proto"), scheme);
            host = firstValue(request.getHeader("X-Forwarded-Host"), host);
            port = firstValue(request.getHeader("X-Forwarded-Port"), null);
        }
        if (host == null || host.isBlank()) {
            host = request.getServerName() + ":" + request.getServerPort();
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (port != null && !host.contains(":") && !isDefaultPort(scheme, port)) {
            host = host + ":" + port;
        }
        return scheme + "://" + host;
    }

    /** The full URL of the request as the caller saw it: public base + path within the app + query. */
    public String urlOf(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String query = request.getQueryString();
        return baseOf(request) + path + (query == null ? "" : "?" + query);
    }

    boolean isTrustedProxy(String remoteAddress) {
        return trusted.trusts(remoteAddress);
    }

    private static String firstValue(String header, String fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        int comma = header.indexOf(',');
        String first = (comma >= 0 ? header.substring(0, comma) : header).strip();
        return first.isEmpty() ? fallback : first;
    }

    private static boolean isDefaultPort(String scheme, String port) {
        return (scheme.equals("https") && port.equals("443")) || (scheme.equals("http") && port.equals("80"));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
