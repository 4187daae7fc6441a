package dev.switchboard.app.gateway;

import dev.switchboard.app.outbound.GuardedProxy;
import dev.switchboard.app.outbound.OutboundGuard;
import dev.switchboard.app.runs.RunProperties;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.gateway.BudgetStore;
import dev.switchboard.gateway.CredentialResolver;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.ModelGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The model gateway, configured from {@code switchboard.gateway.*} ({@link GatewayProperties}),
 * with budgets and spend in PostgreSQL ({@link PostgresBudgetStore}) and per-workspace provider
 * keys ({@link ProviderCredentialStore}).
 */
@Configuration(proxyBeanMethods = false)
class GatewayConfiguration {

    private static final Logger log = LoggerFactory.getLogger(GatewayConfiguration.class);

    @Bean
    GatewayConfig gatewayConfig(GatewayProperties properties, RunProperties runs) {
        GatewayConfig config = properties.config();
        log.info("Model providers: {}", config.providers().isEmpty() ? "none" : String.join(", ", config.providers().keySet()));
        bulkheadWarnings(config, runs.asyncConcurrency()).forEach(log::warn);
        return config;
    }

    /**
     * A warning for each provider whose bulkhead takes fewer concurrent calls than async runs may execute at
     * once: the bulkhead does not queue, so under such a load the calls beyond it fail at once.
     */
    static List<String> bulkheadWarnings(GatewayConfig config, int asyncConcurrency) {
        return config.providers().entrySet().stream()
                .filter(e -> e.getValue().maxConcurrentCalls() < asyncConcurrency)
                .map(e -> ("switchboard.runs.async-concurrency (%d) is above what provider %s takes at once "
                        + "(switchboard.gateway.providers.%s.max-concurrent-calls: %d): when more async runs call it "
                        + "together, the calls beyond that fail at once with 'unavailable' (bulkhead full) or go to a "
                        + "fallback model; raise max-concurrent-calls or lower async-concurrency")
                        .formatted(asyncConcurrency, e.getKey(), e.getKey(), e.getValue().maxConcurrentCalls()))
                .toList();
    }

    /**
     * The configured gateway, wrapped so that workspaces' own endpoints get gateways of their own
     * (sharing budgets and metrics). Injectable as {@link ModelGateway}.
     */
    @Bean(destroyMethod = "close")
    WorkspaceModelGateway modelGateway(GatewayConfig config, MeterRegistry meterRegistry, Clock clock, BudgetStore budgets,
            CredentialResolver credentials, WorkspaceProviderStore workspaceProviders, OutboundGuard outboundGuard, GuardedProxy guardedProxy) {
        ModelGateway configured = ModelGateway.builder().config(config).meterRegistry(meterRegistry).clock(clock)
                .budgetStore(budgets).credentials(credentials).build();
        // workspaces' own endpoints are user-supplied URLs: every connection goes through the guard's proxy,
        // which resolves once and connects to the address it vetted (operator-configured providers stay direct)
        return new WorkspaceModelGateway(configured, config, workspaceConfig -> ModelGateway.builder().config(workspaceConfig)
                .meterRegistry(meterRegistry).clock(clock).budgetStore(budgets).proxy(guardedProxy.selector()).build(),
                workspaceProviders, outboundGuard);
    }


    /** What the workflow engine's {@code ai} nodes call. */
    @Bean
    ModelClient modelClient(ModelGateway gateway) {
        return new GatewayModelClient(gateway);
    }
}
