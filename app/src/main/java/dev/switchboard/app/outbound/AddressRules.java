package dev.switchboard.app.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which destination addresses user-supplied URLs may not reach by default: everything that is not
 * globally routable unicast, after the IANA special-purpose registries (RFC 6890 and successors).
 * IPv6 forms that carry an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64 {@code 64:ff9b::/96},
 * 6to4 {@code 2002::/16}) are judged by the IPv4 address inside. Stateless and thread-safe.
 */
final class AddressRules {

    /** A forbidden block and why, as the user sees it. */
    private record Rule(Cidr block, String why) {
        static Rule of(String cidr, String why) {
            return new Rule(Cidr.parse(cidr), why + " (" + cidr + ")");
        }
    }

    private static final List<Rule> IPV4 = List.of(
            Rule.of("0.0.0.0/8", "'this network' / unspecified"),
            Rule.of("10.0.0.0/8", "private network"),
            Rule.of("100.64.0.0/10", "carrier-grade NAT"),
            Rule.of("127.0.0.0/8", "loopback"),
            Rule.of("169.254.0.0/16", "link-local, incl. cloud metadata"),
            Rule.of("172.16.0.0/12", "private network"),
            Rule.of("192.0.0.0/24", "IETF protocol assignments"),
            Rule.of("192.0.2.0/24", "documentation"),
            Rule.of("192.88.99.0/24", "6to4 relay anycast"),
            Rule.of("192.168.0.0/16", "private network"),
            Rule.of("198.18.0.0/15", "benchmarking"),
            Rule.of("198.51.100.0/24", "documentation"),
            Rule.of("203.0.113.0/24", "documentation"),
            Rule.of("224.0.0.0/4", "multicast"),
            Rule.of("240.0.0.0/4", "reserved, incl. broadcast"));

    private static final List<Rule> IPV6 = List.of(
            Rule.of("::/128", "unspecified"),
            Rule.of("::1/128", "loopback"),
            Rule.of("::/96", "IPv4-compatible (deprecated)"),
            Rule.of("64:ff9b:1::/48", "local-use NAT64"),
            Rule.of("100::/64", "discard-only"),
            Rule.of("2001::/23", "IETF protocol assignments, incl. Teredo"),
            Rule.of("2001:db8::/32", "documentation"),
            Rule.of("3fff::/20", "documentation"),
            Rule.of("5f00::/16", "segment routing"),
            Rule.of("fc00::/7", "unique-local"),
            Rule.of("fe80::/10", "link-local"),
            Rule.of("fec0::/10", "site-local"),
            Rule.of("ff00::/8", "multicast"));

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressRules() {
    }

    /** Why {@code address} is not a public destination, or empty when it is one. */
    static Optional<String> forbidden(InetAddress address) {
        return switch (address) {
            case Inet4Address v4 -> check(IPV4, v4);
            case Inet6Address v6 -> forbidden6(v6);
            default -> Optional.of("unknown address family");
        };
    }

    private static Optional<String> forbidden6(Inet6Address v6) {
        byte[] b = v6.getAddress();
        if (isMapped(b)) {
            return embedded(b, 12, "IPv4-mapped");
        }
        Optional<String> own = check(IPV6, v6);
        if (own.isPresent()) {
            return own;
        }
        if (NAT64.contains(v6)) {
            return embedded(b, 12, "NAT64");
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return embedded(b, 2, "6to4");
        }
        return Optional.empty();
    }

    /** ::ffff:a.b.c.d (Java turns most of these into Inet4Address; Inet6Address.getByAddress(host, bytes, scope) does not). */
    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    private static Optional<String> embedded(byte[] b, int offset, String form) {
        try {
            InetAddress v4 = InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
            return check(IPV4, v4).map(why -> form + " form of " + v4.getHostAddress() + ": " + why);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> check(List<Rule> rules, InetAddress address) {
        for (Rule rule : rules) {
            if (rule.block().contains(address)) {
                return Optional.of(rule.why());
            }
        }
        return Optional.empty();
    }
}
