package dev.switchboard.app.outbound;

import dev.switchboard.app.webhook.WebhookProperties;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbound guard and its client, from {@code switchboard.outbound.*}. The deprecated
 * {@code switchboard.webhooks.allowed-urls} is folded into the guard's allow-list (each URL's host and
 * port), with a warning naming the entries to move.
 */
@Configuration(proxyBeanMethods = false)
class OutboundConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OutboundConfiguration.class);

    @Bean
    OutboundGuard outboundGuard(OutboundProperties properties, WebhookProperties webhooks) {
        List<String> allow = new ArrayList<>(properties.effectiveAllow());
        List<String> migrated = migrate(webhooks.allowedUrls());
        if (!migrated.isEmpty()) {
            log.warn("switchboard.webhooks.allowed-urls is deprecated: webhook nodes now go through the outbound guard like "
                    + "every user-supplied URL (public destinations are allowed, internal ones need "
                    + "switchboard.outbound.allow). Its destinations were added to the outbound allow-list for now; "
                    + "set switchboard.outbound.allow={} and remove switchboard.webhooks.allowed-urls", String.join(",", migrated));
            allow.addAll(migrated);
        }
        OutboundGuard guard = OutboundGuard.of(allow);
        log.info("Outbound guard: user-supplied URLs may reach public addresses; also allowed: {}", guard.allowed());
        return guard;
    }

    @Bean(destroyMethod = "close")
    OutboundHttp outboundHttp(OutboundGuard guard, OutboundProperties properties, Clock clock) {
        return new OutboundHttp(guard, properties, clock);
    }

    /**
     * The loopback proxy through which the model gateway reaches workspaces' own endpoints (its JDK
     * client takes no DNS resolver; the proxy resolves through the guard and connects to that address).
     */
    @Bean(destroyMethod = "close")
    GuardedProxy guardedProxy(OutboundGuard guard, OutboundProperties properties) throws java.io.IOException {
        return new GuardedProxy(guard, properties.connectTimeout());
    }

    /** {@code https://hooks.internal:8443/x} becomes {@code hooks.internal:8443}; IPv6 hosts stay bracketed. */
    static List<String> migrate(List<String> webhookUrls) {
        List<String> entries = new ArrayList<>();
        for (String url : webhookUrls) {
            URI uri = URI.create(url);
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            String entry = uri.getHost() + ":" + port;
            if (!entries.contains(entry)) {
                entries.add(entry);
            }
        }
        return entries;
    }
}
