package dev.switchboard.app.outbound;

import java.net.InetAddress;
import java.util.Locale;

/**
 * An address block, {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a block of one.
 * Matches addresses of its own family only (an IPv4-mapped IPv6 address is an IPv4 address to
 * Java, so it matches IPv4 blocks). The app's one parser of address blocks: the outbound guard's
 * rules and allow-list and {@code switchboard.http.trusted-proxies} use it. Immutable.
 */
public record Cidr(byte[] network, int prefix) {

    public Cidr {
        network = network.clone();
        int bits = network.length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix must be 0.." + bits + ", was " + prefix);
        }
        // clear host bits so equal blocks compare equal and matching is a plain prefix test
        for (int i = 0; i < network.length; i++) {
            int keep = Math.clamp(prefix - i * 8L, 0, 8);
            network[i] &= (byte) (0xff << (8 - keep));
        }
    }

    /**
     * Parses {@code a.b.c.d[/n]} or {@code v6[/n]} (canonical literals only: no host names, no
     * abbreviated IPv4 spellings).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cidr parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        InetAddress parsed = Addresses.literal(address);
        if (parsed == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
        }
        byte[] bytes = parsed.getAddress();
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String bits = s.substring(slash + 1);
            if (!bits.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
            prefix = Integer.parseInt(bits);
            if (prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has a prefix longer than the address");
            }
        }
        return new Cidr(bytes, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        return rest == 0 || ((a[full] ^ network[full]) & (0xff << (8 - rest)) & 0xff) == 0;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
