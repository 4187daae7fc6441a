package dev.switchboard.app.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The address of the client behind a request, for rate limits and logs. It is the socket's peer
 * address unless that peer is a configured trusted proxy ({@code switchboard.http.trusted-proxies},
 * addresses or CIDR ranges; default loopback only, i.e. a reverse proxy on the same host); then
 * {@code X-Forwarded-For} is read from right to left and the first address that is not a trusted
 * proxy is the client. Entries a client wrote itself sit left of that and are never believed.
 *
 * <p>Only IP literals are parsed; a header entry is never resolved through DNS. Thread-safe.
 */
@Component
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private final List<Range> trusted;

    public ClientAddress(@Value("${switchboard.http.trusted-proxies:127.0.0.0/8,::1}") List<String> trustedProxies) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (entry != null && !entry.isBlank()) {
                ranges.add(Range.parse(entry.strip()));
            }
        }
        this.trusted = List.copyOf(ranges);
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
        for (Range range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
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
        if (value == null || value.isEmpty() || value.length() > 64) {
            return null;
        }
        if (!IPV4.matcher(value).matches() && !IPV6.matcher(value).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(value); // a literal: no lookup happens
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /** An address range: {@code 10.0.0.0/8}, {@code ::1}, {@code 192.168.1.10}. */
    record Range(byte[] network, int prefix) {

        static Range parse(String text) {
            String address = text;
            int prefix = -1;
            int slash = text.indexOf('/');
            if (slash >= 0) {
                address = text.substring(0, slash);
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw invalid(text);
                }
            }
            InetAddress parsed = literal(address);
            if (parsed == null) {
                throw invalid(text);
            }
            byte[] bytes = parsed.getAddress();
            if (prefix < 0) {
                prefix = bytes.length * 8;
            }
            if (prefix > bytes.length * 8) {
                throw invalid(text);
            }
            return new Range(bytes, prefix);
        }

        private static IllegalArgumentException invalid(String text) {
            return new IllegalArgumentException("switchboard.http.trusted-proxies: '" + text
                    + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)");
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }
}
