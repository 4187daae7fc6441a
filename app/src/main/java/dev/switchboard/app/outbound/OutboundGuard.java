package dev.switchboard.app.outbound;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one SSRF guard for URLs that users supply (the {@code http} and {@code webhook} nodes,
 * workspaces' own model endpoints): strict parsing ({@link #check}) and the destination check
 * ({@link #vet}), which runs inside the HTTP client's name resolution so that the address a request
 * connects to is exactly the address that was checked — a DNS answer that changes between check
 * and connect (rebinding) cannot slip through, because there is no second lookup.
 *
 * <p>Refused by default: schemes other than http/https; user info ({@code http://a@b}); backslashes,
 * control characters, zone ids and percent-encoded hosts; IPv4 spellings other than dotted-quad
 * decimal ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}, {@code 127.1}); and every
 * destination address in {@link AddressRules} (loopback, private, link-local incl. cloud metadata,
 * CGNAT, multicast, broadcast, reserved, IPv6 unique-/link-/site-local and the IPv6 forms that
 * embed such an IPv4 address). The operator's {@link AllowList} makes exceptions. Thread-safe.
 */
public final class OutboundGuard {

    /** Resolves a host name to all its addresses (a seam for tests that simulate DNS). */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;

        HostResolver SYSTEM = InetAddress::getAllByName;
    }

    static final int MAX_URL_LENGTH = 8192;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final String URI_SAFE = "-._~!$&'()*+,;=:@/?";

    private final AllowList allow;
    private final HostResolver resolver;

    OutboundGuard(AllowList allow, HostResolver resolver) {
        this.allow = allow;
        this.resolver = resolver;
    }

    /** A guard with the operator's allow-list entries (see {@link AllowList}) and the system resolver. */
    public static OutboundGuard of(List<String> allow) {
        return new OutboundGuard(AllowList.parse(allow), HostResolver.SYSTEM);
    }

    /** Like {@link #of(List)} with a resolver of the caller's (tests). */
    public static OutboundGuard of(List<String> allow, HostResolver resolver) {
        return new OutboundGuard(AllowList.parse(allow), resolver);
    }

    /** The allow-list as configured, for logs. */
    public String allowed() {
        return allow.toString();
    }

    /** {@link #check(String)} of a URI. */
    public OutboundTarget check(URI url) throws OutboundRefusedException {
        if (url == null) {
            throw new OutboundRefusedException("a URL is required");
        }
        return check(url.toString());
    }

    /**
     * Parses a user-supplied URL strictly. Characters that are not valid in a URI's path, query or
     * fragment (spaces, quotes, non-ASCII) are percent-encoded, as browsers do; the scheme and
     * authority are never repaired.
     *
     * @throws OutboundRefusedException saying what is wrong
     */
    public OutboundTarget check(String url) throws OutboundRefusedException {
        if (url == null || url.isBlank()) {
            throw new OutboundRefusedException("a URL is required");
        }
        String s = url.strip();
        if (s.length() > MAX_URL_LENGTH) {
            throw new OutboundRefusedException("the URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new OutboundRefusedException("the URL contains control characters");
            }
            if (c == '\\') {
                throw new OutboundRefusedException("the URL contains a backslash");
            }
        }
        int schemeEnd = s.indexOf("://");
        if (schemeEnd <= 0 || !s.substring(0, schemeEnd).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new OutboundRefusedException("must be an absolute http or https URL");
        }
        String scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new OutboundRefusedException("must use http or https (was " + scheme + ")");
        }
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < s.length() && "/?#".indexOf(s.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        Authority authority = authority(s.substring(authorityStart, authorityEnd));
        int fragment = s.indexOf('#', authorityEnd);
        // the fragment is never sent to a server: drop it
        String rest = encodeRest(s.substring(authorityEnd, fragment < 0 ? s.length() : fragment));
        String hostPart = authority.host().indexOf(':') >= 0 ? "[" + authority.host() + "]" : authority.host();
        String normalised = scheme + "://" + hostPart + (authority.port() < 0 ? "" : ":" + authority.port()) + rest;
        URI uri;
        try {
            uri = new URI(normalised);
        } catch (URISyntaxException e) {
            throw new OutboundRefusedException("not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new OutboundRefusedException("must name a host");
        }
        int port = authority.port() >= 0 ? authority.port() : scheme.equals("https") ? 443 : 80;
        return new OutboundTarget(uri, scheme, authority.host(), port);
    }

    /**
     * Checks where a request to {@code host:port} would go: resolves the name once and returns
     * every address, or refuses when any of them is forbidden and not allowed by the operator.
     * The caller must connect to the returned addresses only (no second lookup).
     *
     * @param port the destination port, or {@code -1} when unknown (port-specific allow entries then do not apply)
     * @throws OutboundRefusedException saying which address is forbidden and why, or that the name did not resolve
     */
    public List<InetAddress> vet(String host, int port) throws OutboundRefusedException {
        String name = host == null ? "" : Addresses.stripDot(host.toLowerCase(Locale.ROOT));
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new OutboundRefusedException("must name a host");
        }
        InetAddress literal = Addresses.literal(name);
        if (literal != null) {
            refuseIfForbidden(name, literal, port);
            return List.of(literal);
        }
        if (name.indexOf(':') >= 0 || Addresses.ambiguousIpv4(name)) {
            throw new OutboundRefusedException("host '" + name + "' is not a valid address; write IPv4 as a.b.c.d");
        }
        boolean trustedName = allow.allowsHost(name, port);
        InetAddress[] resolved;
        try {
            resolved = resolver.resolve(name);
        } catch (UnknownHostException e) {
            throw new OutboundRefusedException("host '" + name + "' cannot be resolved");
        }
        if (resolved == null || resolved.length == 0) {
            throw new OutboundRefusedException("host '" + name + "' cannot be resolved");
        }
        if (!trustedName) {
            for (InetAddress address : resolved) {
                refuseIfForbidden(name, address, port);
            }
        }
        return List.of(resolved);
    }

    /**
     * What can be decided without DNS, for validating a graph: {@link #check} and, when the host is an
     * address literal, the address rules. Host names are resolved and checked when the request connects.
     *
     * @throws OutboundRefusedException saying what is wrong
     */
    public OutboundTarget checkWithoutLookup(String url) throws OutboundRefusedException {
        OutboundTarget target = check(url);
        InetAddress literal = Addresses.literal(target.host());
        if (literal != null) {
            refuseIfForbidden(target.host(), literal, target.port());
        }
        return target;
    }

    /**
     * Everything at once, for checking a URL when it is saved: syntax, resolution and addresses.
     * Passing says the URL was acceptable <em>now</em>; requests are checked again when they connect.
     */
    public Optional<String> refusal(URI url) {
        try {
            OutboundTarget target = check(url);
            vet(target.host(), target.port());
            return Optional.empty();
        } catch (OutboundRefusedException e) {
            return Optional.of(e.reason());
        }
    }

    private void refuseIfForbidden(String name, InetAddress address, int port) throws OutboundRefusedException {
        Optional<String> why = AddressRules.forbidden(address);
        if (why.isPresent() && !allow.allowsAddress(address, port)) {
            String shown = address.getHostAddress();
            throw new OutboundRefusedException((name.equals(shown) ? "address " + shown : "host '" + name + "' resolves to "
                    + shown + ", which") + " is not a public address: " + why.get()
                    + "; an operator can allow it with switchboard.outbound.allow");
        }
    }

    private record Authority(String host, int port) {
    }

    private static Authority authority(String text) throws OutboundRefusedException {
        if (text.isEmpty()) {
            throw new OutboundRefusedException("must name a host");
        }
        if (text.indexOf('@') >= 0) {
            throw new OutboundRefusedException("must not contain user info (user:password@)");
        }
        if (text.indexOf('%') >= 0) {
            throw new OutboundRefusedException("the host must not be percent-encoded or carry a zone id");
        }
        String host;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new OutboundRefusedException("unclosed '[' in the host");
            }
            host = text.substring(1, close).toLowerCase(Locale.ROOT);
            String after = text.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new OutboundRefusedException("unexpected text after the IPv6 address");
                }
                portText = after.substring(1);
            }
            if (host.indexOf(':') < 0 || Addresses.literal(host) == null) {
                throw new OutboundRefusedException("'[" + host + "]' is not an IPv6 address");
            }
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && colon != text.lastIndexOf(':')) {
                throw new OutboundRefusedException("IPv6 addresses must be written in brackets");
            }
            host = colon < 0 ? text : text.substring(0, colon);
            portText = colon < 0 ? null : text.substring(colon + 1);
            host = hostName(host);
        }
        int port = -1;
        if (portText != null) {
            if (!portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1 || Integer.parseInt(portText) > 65535) {
                throw new OutboundRefusedException("the port must be a number from 1 to 65535");
            }
            port = Integer.parseInt(portText);
        }
        return new Authority(host, port);
    }

    private static String hostName(String raw) throws OutboundRefusedException {
        String host = raw;
        if (!host.chars().allMatch(c -> c < 0x80)) {
            try {
                host = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw new OutboundRefusedException("the host is not a valid international domain name");
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            throw new OutboundRefusedException("must name a host");
        }
        if (Addresses.ambiguousIpv4(host)) {
            throw new OutboundRefusedException("'" + raw + "' is not a canonical IPv4 address; write it as four decimal numbers a.b.c.d");
        }
        String bare = Addresses.stripDot(host);
        if (bare.length() > 253 || bare.isEmpty() || bare.endsWith(".")) {
            throw new OutboundRefusedException("the host name is not valid");
        }
        if (Addresses.literal(bare) == null) {
            for (String label : bare.split("\\.", -1)) {
                if (!LABEL.matcher(label).matches()) {
                    throw new OutboundRefusedException("the host name '" + raw + "' is not valid");
                }
            }
        }
        // "example.com." and "example.com" are one host; one spelling keeps allow-lists and Host headers simple
        return bare;
    }

    /** Percent-encodes what URI syntax does not allow after the authority; keeps valid escapes. */
    static String encodeRest(String rest) {
        StringBuilder out = new StringBuilder(rest.length() + 16);
        byte[] bytes = rest.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean validEscape = b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2]);
            if (b < 0x80 && (Character.isLetterOrDigit(b) || URI_SAFE.indexOf(b) >= 0 || validEscape)) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static boolean hex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
