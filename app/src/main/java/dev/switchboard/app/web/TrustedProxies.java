package dev.switchboard.app.web;

import dev.switchboard.app.outbound.Addresses;
import dev.switchboard.app.outbound.Cidr;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The reverse proxies whose forwarding headers are believed ({@code switchboard.http.trusted-proxies}:
 * IP addresses and CIDR blocks, default {@code 127.0.0.0/8,::1}, i.e. a proxy on the same host; an
 * empty value trusts none). {@link ClientAddress} reads {@code X-Forwarded-For} from them and
 * {@code dev.switchboard.app.twilio.PublicUrls} reads {@code X-Forwarded-Proto/Host/Port}. The older
 * {@code switchboard.trusted-proxies} still works as a deprecated alias (a warning is logged) when the
 * new property is not set. Entries are IP literals parsed by {@link Cidr} (no DNS). Immutable.
 */
@Component
public final class TrustedProxies {

    static final String PROPERTY = "switchboard.http.trusted-proxies";
    static final String DEPRECATED = "switchboard.trusted-proxies";
    static final List<String> DEFAULT = List.of("127.0.0.0/8", "::1");
    private static final Logger log = LoggerFactory.getLogger(TrustedProxies.class);

    private final List<Cidr> blocks;

    @Autowired
    TrustedProxies(Environment environment) {
        this(entries(Binder.get(environment)));
    }

    /**
     * @throws IllegalArgumentException naming the property and the entry that is not an address or block
     */
    public TrustedProxies(List<String> entries) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : entries) {
            if (entry != null && !entry.isBlank()) {
                try {
                    parsed.add(Cidr.parse(entry.strip()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(PROPERTY + ": '" + entry.strip()
                            + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1; host names are not allowed)");
                }
            }
        }
        this.blocks = List.copyOf(parsed);
    }

    static List<String> entries(Binder binder) {
        Bindable<List<String>> list = Bindable.listOf(String.class);
        var current = binder.bind(PROPERTY, list);
        var old = binder.bind(DEPRECATED, list);
        if (current.isBound()) {
            if (old.isBound()) {
                log.warn("{} is deprecated and ignored because {} is set; remove it", DEPRECATED, PROPERTY);
            }
            return current.get();
        }
        if (old.isBound()) {
            log.warn("{} is deprecated; rename it to {} (it now covers X-Forwarded-For as well as X-Forwarded-Proto/Host/Port)",
                    DEPRECATED, PROPERTY);
            return old.get();
        }
        // "switchboard.http.trusted-proxies=" (empty) binds as unbound: an explicit empty value trusts no proxy
        return binder.bind(PROPERTY, String.class).isBound() || binder.bind(DEPRECATED, String.class).isBound()
                ? List.of() : DEFAULT;
    }

    /** True when {@code address} is one of the trusted proxies. */
    public boolean trusts(InetAddress address) {
        for (Cidr block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #trusts(InetAddress)} of a peer address as the servlet container gives it; false for anything not an IP literal. */
    public boolean trusts(String remoteAddress) {
        InetAddress address = peer(remoteAddress);
        return address != null && trusts(address);
    }

    /** A peer or header address literal (an IPv6 zone id is dropped), never resolved; null when it is not one. */
    static InetAddress peer(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) {
            return null;
        }
        int zone = value.indexOf('%');
        String bare = zone >= 0 && value.indexOf(':') >= 0 ? value.substring(0, zone) : value;
        return Addresses.literal(bare);
    }
}
