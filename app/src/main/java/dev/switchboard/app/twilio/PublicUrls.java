package dev.switchboard.app.twilio;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The public URL a request was made to — what Twilio signed. With {@code switchboard.public-base-url}
 * set, that base plus the request's path and query; otherwise the scheme and {@code Host} the request
 * arrived with, where {@code X-Forwarded-Proto}, {@code -Host} and {@code -Port} count only when the
 * connection comes from one of {@code switchboard.trusted-proxies} (anyone else could forge them).
 * Thread-safe and immutable.
 */
@Component
public class PublicUrls {

    private final String configuredBase;
    private final List<Cidr> trusted;

    PublicUrls(PublicUrlProperties properties) {
        this.configuredBase = properties.publicBaseUrl() == null ? null : stripSlash(properties.publicBaseUrl().toString());
        List<Cidr> ranges = new ArrayList<>();
        for (String entry : properties.trustedProxies()) {
            if (!entry.isBlank()) {
                ranges.add(Cidr.parse(entry.strip()));
            }
        }
        this.trusted = List.copyOf(ranges);
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
        if (trusted.isEmpty() || remoteAddress == null) {
            return false;
        }
        byte[] address;
        try {
            address = InetAddress.ofLiteral(remoteAddress).getAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (Cidr range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
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

    /** An address range: {@code 10.0.0.0/8}, {@code ::1}, {@code 192.168.1.7}. IP literals only (no DNS). */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            byte[] address;
            try {
                address = InetAddress.ofLiteral(addressText).getAddress();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("switchboard.trusted-proxies: '" + text
                        + "' is not an IP address or CIDR range (host names are not allowed)");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("switchboard.trusted-proxies: '" + text
                            + "' has an invalid prefix length (0-" + bits + ")");
                }
            }
            return new Cidr(address, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
