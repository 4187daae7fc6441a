package dev.switchboard.app.outbound;

import static dev.switchboard.app.support.PropertyChecks.positive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code switchboard.outbound.*}: what user-supplied URLs (http and webhook nodes, workspaces'
 * own model endpoints) may reach, and limits of the requests made to them. Operator-configured
 * URLs (model providers, the review webhook, Twilio) are trusted and not subject to these rules.
 *
 * @param allow                destinations allowed despite the default refusals: address blocks
 *                             ({@code 10.20.0.0/16}), addresses, host names, {@code *.domain}, each
 *                             optionally with {@code :port} (see {@link AllowList})
 * @param allowPrivateNetworks shorthand that adds the private blocks (10/8, 172.16/12, 192.168/16,
 *                             CGNAT 100.64/10, IPv6 fc00::/7) to {@code allow}; loopback, link-local
 *                             and metadata addresses still need explicit entries
 * @param connectTimeout       TCP connect (and TLS handshake) timeout
 * @param timeout              default time limit of one request (redirects included) when the node
 *                             sets no {@code timeout}
 * @param maxResponseSize      largest response body read (decompressed); larger answers fail
 * @param maxRedirects         redirects an {@code http} node follows at most (each hop is checked again)
 * @param maxConnections       pooled connections to all hosts together
 */
@ConfigurationProperties("switchboard.outbound")
public record OutboundProperties(List<String> allow, boolean allowPrivateNetworks,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration timeout,
        @DefaultValue("1MB") DataSize maxResponseSize, @DefaultValue("5") int maxRedirects,
        @DefaultValue("200") int maxConnections) {

    static final List<String> PRIVATE_BLOCKS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
            "fc00::/7");

    public OutboundProperties {
        allow = allow == null ? List.of() : List.copyOf(allow);
        positive(connectTimeout, "switchboard.outbound.connect-timeout");
        positive(timeout, "switchboard.outbound.timeout");
        if (maxResponseSize == null || maxResponseSize.toBytes() < 1 || maxResponseSize.toBytes() > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("switchboard.outbound.max-response-size must be from 1B to 2GB");
        }
        if (maxRedirects < 0 || maxRedirects > 20) {
            throw new IllegalArgumentException("switchboard.outbound.max-redirects must be 0..20, was " + maxRedirects);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("switchboard.outbound.max-connections must be >= 1, was " + maxConnections);
        }
        AllowList.parse(allow); // fail at start, naming the bad entry
    }

    /** The allow-list entries in effect ({@code allow} plus the private blocks when enabled). */
    public List<String> effectiveAllow() {
        List<String> all = new ArrayList<>(allow);
        if (allowPrivateNetworks) {
            all.addAll(PRIVATE_BLOCKS);
        }
        return List.copyOf(all);
    }
}
