package dev.switchboard.app.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code switchboard.outbound.*}: what user-supplied URLs may point at.
 *
 * @param allowPrivateNetworks allow loopback, private and link-local addresses (default false)
 */
@ConfigurationProperties("switchboard.outbound")
public record OutboundProperties(boolean allowPrivateNetworks) {
}
