package dev.switchboard.app.gateway;

import dev.switchboard.gateway.GatewayConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code switchboard.gateway.*}, bound onto the gateway's own {@link GatewayConfig} record (and
 * its nested records): {@code providers.<name>.{type,base-url,api-key,models,timeout,...}},
 * {@code fallbacks}, {@code resilience}, {@code prices}, {@code cache}... Every setting the gateway
 * has is configurable without a copy of it here; invalid values fail the start with a message
 * naming the property.
 *
 * @param gateway null when nothing under {@code switchboard.gateway} is set
 */
@ConfigurationProperties("switchboard")
public record GatewayProperties(GatewayConfig gateway) {

    public GatewayConfig config() {
        return gateway == null ? GatewayConfig.builder().build() : gateway;
    }
}
