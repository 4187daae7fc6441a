package dev.switchboard.app.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The operator's exceptions to {@link AddressRules} ({@code switchboard.outbound.allow}): each
 * entry is an address block ({@code 10.20.0.0/16}), an address ({@code 127.0.0.1},
 * {@code [::1]}), a host name ({@code models.internal}) or a domain's sub-domains
 * ({@code *.corp.example}), each optionally with a port ({@code 127.0.0.1:8089},
 * {@code models.internal:8000}); without a port every port is allowed. A host-name entry trusts
 * whatever that name resolves to. Immutable.
 */
final class AllowList {

    private static final Pattern HOST = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*");

    private record AddressEntry(Cidr block, int port) {
    }

    private record HostEntry(String name, boolean subdomains, int port) {
        boolean matches(String host, int p) {
            boolean nameMatches = subdomains ? host.endsWith("." + name) : host.equals(name);
            return nameMatches && (port < 0 || port == p);
        }
    }

    static final AllowList NONE = new AllowList(List.of(), List.of(), List.of());

    private final List<AddressEntry> addresses;
    private final List<HostEntry> hosts;
    private final List<String> entries;

    private AllowList(List<AddressEntry> addresses, List<HostEntry> hosts, List<String> entries) {
        this.addresses = List.copyOf(addresses);
        this.hosts = List.copyOf(hosts);
        this.entries = List.copyOf(entries);
    }

    /**
     * @throws IllegalArgumentException naming the entry that is not valid
     */
    static AllowList parse(List<String> entries) {
        List<AddressEntry> addresses = new ArrayList<>();
        List<HostEntry> hosts = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String raw : entries == null ? List.<String>of() : entries) {
            String entry = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            kept.add(entry);
            String target = entry;
            int port = -1;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                if (close < 0) {
                    throw invalid(raw, "unclosed '['");
                }
                target = entry.substring(1, close);
                String rest = entry.substring(close + 1);
                if (rest.startsWith(":")) {
                    port = port(raw, rest.substring(1));
                } else if (rest.startsWith("/")) {
                    target = target + rest;
                } else if (!rest.isEmpty()) {
                    throw invalid(raw, "unexpected text after ']'");
                }
            } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') > 0) {
                // one colon: host:port or a.b.c.d:port (an IPv6 block has several)
                int colon = entry.indexOf(':');
                target = entry.substring(0, colon);
                port = port(raw, entry.substring(colon + 1));
            }
            if (target.indexOf(':') >= 0 || target.indexOf('/') >= 0 || Addresses.literal(target) != null) {
                try {
                    addresses.add(new AddressEntry(Cidr.parse(target), port));
                } catch (IllegalArgumentException e) {
                    throw invalid(raw, e.getMessage());
                }
            } else if (Addresses.ambiguousIpv4(target)) {
                throw invalid(raw, "write IPv4 addresses as four decimal numbers (a.b.c.d)");
            } else if (HOST.matcher(target).matches()) {
                boolean wildcard = target.startsWith("*.");
                hosts.add(new HostEntry(wildcard ? target.substring(2) : target, wildcard, port));
            } else {
                throw invalid(raw, "not an address, CIDR block or host name");
            }
        }
        return new AllowList(addresses, hosts, kept);
    }

    private static int port(String raw, String text) {
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw invalid(raw, "port must be 1-65535");
        }
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException invalid(String raw, String why) {
        return new IllegalArgumentException("switchboard.outbound.allow: '" + raw + "' is invalid: " + why);
    }

    /** True when the operator trusts this host name (lower case, no trailing dot) on this port. */
    boolean allowsHost(String host, int port) {
        for (HostEntry h : hosts) {
            if (h.matches(host, port)) {
                return true;
            }
        }
        return false;
    }

    /** True when the operator allows connecting to this address on this port ({@code -1}: port unknown). */
    boolean allowsAddress(InetAddress address, int port) {
        for (AddressEntry a : addresses) {
            if (a.block().contains(address) && (a.port() < 0 || a.port() == port)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        return entries.isEmpty() ? "none" : String.join(", ", entries);
    }
}
