package dev.switchboard.app.web;

import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The URL at which users reach this service ({@code switchboard.public-base-url}, e.g.
 * {@code https://switchboard.example.com}), for links handed out of it: share pages, callback URLs.
 * When unset, links are built from the request being served (its scheme, host and port), and
 * outside a request from {@code http://localhost:<server.port>}. Set it in production, behind
 * proxies above all.
 */
@Component
public final class PublicBaseUrl {

    private final String configured;
    private final int port;

    public PublicBaseUrl(@Value("${switchboard.public-base-url:}") String configured,
            @Value("${server.port:8080}") int port) {
        this.configured = normalise(configured);
        this.port = port;
    }

    private static String normalise(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            URI uri = new URI(v);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalArgumentException("switchboard.public-base-url must be an absolute http(s) URL without "
                    + "query or fragment, e.g. https://switchboard.example.com; was '" + value + "'");
        }
        return v;
    }

    /** The base URL without a trailing slash. */
    public String get() {
        if (configured != null) {
            return configured;
        }
        if (RequestContextHolder.getRequestAttributes() != null) {
            return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
        }
        return "http://localhost:" + port;
    }

    /** Whether links are https (cookies for them get {@code Secure}). */
    public boolean secure() {
        return get().startsWith("https:");
    }

    /** {@code path} (starting with '/') under the base URL. */
    public String resolve(String path) {
        return get() + path;
    }
}
