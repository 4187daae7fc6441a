package dev.switchboard.app.outbound;

import java.net.URI;

/**
 * A URL that passed the guard's syntax checks: http or https, a host (lower case; IPv6 without
 * brackets; international names in ASCII form), no user info, a port, and a path/query that is
 * valid URI syntax. Its addresses are checked separately, at connect time.
 *
 * @param uri    the normalised URL to request
 * @param scheme {@code http} or {@code https}
 * @param host   the host name or address literal
 * @param port   the port, the scheme's default when the URL names none
 */
public record OutboundTarget(URI uri, String scheme, String host, int port) {

    /** Scheme, host and port: a redirect to another origin must not carry the original credentials. */
    public boolean sameOrigin(OutboundTarget other) {
        return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port;
    }

    /** The URL without path and query (they may hold keys), for messages and logs. */
    public String origin() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + ((scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80) ? "" : ":" + port);
    }
}
