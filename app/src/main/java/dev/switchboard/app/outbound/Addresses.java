package dev.switchboard.app.outbound;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Strict parsing of IP literals. Only the canonical spellings are addresses here: dotted-quad
 * decimal IPv4 without leading zeros, and IPv6 without a zone id. The other spellings that some
 * resolvers accept ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1}) are
 * refused by {@link OutboundGuard} rather than interpreted, because resolvers disagree on them.
 */
public final class Addresses {

    private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9]\\d{0,2})(\\.(0|[1-9]\\d{0,2})){3}");
    /** Labels that inet_aton would read as numbers: decimal, octal (leading 0) or hex (0x). */
    private static final Pattern NUMERIC_LABELS = Pattern.compile("(0x[0-9a-f]*|\\d+)(\\.(0x[0-9a-f]*|\\d+))*\\.?",
            Pattern.CASE_INSENSITIVE);

    private Addresses() {
    }

    /** The address a canonical literal stands for, or null when {@code text} is not one. */
    public static InetAddress literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            if (text.indexOf('%') >= 0) {
                return null;
            }
            try {
                return InetAddress.ofLiteral(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (!DOTTED_QUAD.matcher(text).matches()) {
            return null;
        }
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int value = Integer.parseInt(parts[i]);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * True for a host that is not a canonical IPv4 literal but that a C resolver (inet_aton) could
     * read as an IPv4 address: {@code 2130706433}, {@code 0x7f000001}, {@code 0177.1}, {@code 127.1}.
     */
    static boolean ambiguousIpv4(String host) {
        return NUMERIC_LABELS.matcher(host).matches() && literal(stripDot(host)) == null;
    }

    static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
