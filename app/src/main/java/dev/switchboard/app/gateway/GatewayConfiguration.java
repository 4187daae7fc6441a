package dev.switchboard.app.gateway;

import dev.switchboard.engine.ModelClient;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.ModelGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The model gateway, configured from {@code switchboard.gateway.*}: the gateway's own
 * {@link GatewayConfig} record is bound directly (relaxed binding, env variables included), so
 * every gateway setting — {@code providers.<name>.{type,base-url,api-key,models,timeout,...}},
 * {@code fallbacks}, {@code resilience}, {@code prices}, {@code cache} — is available without a
 * copy of it here. Bad settings stop the start with the gateway's message naming the setting.
 */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Bean
    GatewayConfig gatewayConfig(Environment environment) {
        GatewayConfig config = Binder.get(environment)
                .bind("switchboard.gateway", Bindable.of(GatewayConfig.class))
                .orElseGet(() -> GatewayConfig.builder().build());
        log.info("Model providers: {}", config.providers().isEmpty() ? "none" : String.join(", ", config.providers().keySet()));
        return config;
    }

    @Bean(destroyMethod = "close")
    ModelGateway modelGateway(GatewayConfig config, MeterRegistry meterRegistry, Clock clock) {
        return ModelGateway.builder().config(config).meterRegistry(meterRegistry).clock(clock).build();
    }

    /** What the workflow engine's {@code ai} nodes call. */
    @Bean
    ModelClient modelClient(ModelGateway gateway) {
        return new GatewayModelClient(gateway);
    }
}
