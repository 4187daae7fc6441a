package dev.switchboard.app.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The address of the client behind a request, for rate limits and logs. It is the socket's peer
 * address unless that peer is a configured trusted proxy ({@link TrustedProxies}:
 * {@code switchboard.http.trusted-proxies}, default loopback only, i.e. a reverse proxy on the same host); then
 * {@code X-Forwarded-For} is read from right to left and the first address that is not a trusted
 * proxy is the client. Entries a client wrote itself sit left of that and are never believed.
 *
 * <p>Only IP literals are parsed; a header entry is never resolved through DNS. Thread-safe.
 */
@Component
public final class ClientAddress {

    private final TrustedProxies trusted;

    @Autowired
    public ClientAddress(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** With these trusted proxies (addresses or CIDR blocks). */
    public ClientAddress(List<String> trustedProxies) {
        this(new TrustedProxies(trustedProxies));
    }

    /** The client's address, e.g. {@code 203.0.113.7} or {@code 2001:db8:0:0:0:0:0:1}. */
    public String of(HttpServletRequest request) {
        List<String> forwarded = request.getHeaders("X-Forwarded-For") == null ? List.of()
                : Collections.list(request.getHeaders("X-Forwarded-For"));
        return resolve(request.getRemoteAddr(), forwarded);
    }

    /** {@link #of} on plain values: the peer address and the X-Forwarded-For header lines in order. */
    public String resolve(String remoteAddr, List<String> forwardedFor) {
        InetAddress peer = literal(remoteAddr);
        if (peer == null) {
            return remoteAddr == null ? "unknown" : remoteAddr;
        }
        if (!isTrusted(peer)) {
            return peer.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        for (String line : forwardedFor) {
            for (String part : line.split(",")) {
                if (!part.isBlank()) {
                    hops.add(part.strip());
                }
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = literal(stripPort(hops.get(i)));
            if (hop == null) {
                break; // garbage where a trusted proxy should have written an address: stop believing
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        return trusted.trusts(address);
    }

    /** {@code 1.2.3.4:80} → {@code 1.2.3.4}; {@code [2001:db8::1]:443} → {@code 2001:db8::1}. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && colon == hop.lastIndexOf(':')) {
            return hop.substring(0, colon);
        }
        return hop;
    }

    /** Parses an IP literal without DNS; null for anything else. */
    static InetAddress literal(String value) {
        return TrustedProxies.peer(value);
    }
}
