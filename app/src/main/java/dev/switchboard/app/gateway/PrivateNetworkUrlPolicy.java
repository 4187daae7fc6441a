package dev.switchboard.app.gateway;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * The default {@link OutboundUrlPolicy}: {@code http}/{@code https} URLs without user info whose
 * host resolves only to public addresses. Loopback, private (RFC 1918, IPv6 unique-local),
 * link-local (incl. cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and unspecified
 * addresses are refused unless {@code switchboard.outbound.allow-private-networks} is true (for
 * self-hosted model servers on a private network). Thread-safe.
 *
 * <p>Limit: the host is resolved when the URL is checked; a name whose DNS answer changes
 * afterwards (rebinding) is caught only at the next check.
 */
final class PrivateNetworkUrlPolicy implements OutboundUrlPolicy {

    /** Resolves a host to all its addresses; a seam for tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    PrivateNetworkUrlPolicy(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    PrivateNetworkUrlPolicy(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    @Override
    public Optional<String> refusal(URI url) {
        if (url == null || !url.isAbsolute() || url.isOpaque()) {
            return Optional.of("must be an absolute http or https URL");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must use http or https (was " + scheme + ")");
        }
        if (url.getRawUserInfo() != null) {
            return Optional.of("must not contain user info; send keys as apiKey");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            return Optional.of("must name a host");
        }
        if (allowPrivate) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("host '" + host + "' cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (isPrivate(address)) {
                return Optional.of("host '" + host + "' resolves to a private or local address (" + address.getHostAddress()
                        + "); set switchboard.outbound.allow-private-networks=true to allow such endpoints");
            }
        }
        return Optional.empty();
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127) // 0/8, CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0/24 IETF
                    || first >= 240; // reserved, broadcast
        }
        // IPv6: unique-local fc00::/7, and IPv4-mapped/-compatible forms of private IPv4
        if ((b[0] & 0xfe) == 0xfc) {
            return true;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
            try {
                return isPrivate(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }
}
