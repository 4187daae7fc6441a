package dev.switchboard.app.workflow;

import dev.switchboard.engine.EngineLimits;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link WorkflowEngine} of the app.
 *
 * <p>Extension points for later features: a bean implementing {@link NodeKind} is registered as
 * a node type (e.g. {@code policy.pii}, {@code sms}); an {@link EngineService} bean is offered to
 * node executors through {@code NodeContext.service(type)}.
 */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    @Bean(destroyMethod = "close")
    WorkflowEngine workflowEngine(ModelClient modelClient, List<NodeKind> nodeKinds, List<EngineService<?>> services,
            Clock clock, EngineProperties properties) {
        WorkflowEngine.Builder builder = WorkflowEngine.builder()
                .modelClient(modelClient)
                .clock(clock)
                .limits(properties.limits().applyTo(EngineLimits.defaults().withDefaultNodeTimeout(properties.defaultNodeTimeout())));
        nodeKinds.forEach(builder::nodeKind);
        services.forEach(s -> register(builder, s));
        return builder.build();
    }

    private static <T> void register(WorkflowEngine.Builder builder, EngineService<T> service) {
        builder.service(service.type(), service.service());
    }
}
