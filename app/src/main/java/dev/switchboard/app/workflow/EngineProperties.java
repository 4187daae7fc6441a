package dev.switchboard.app.workflow;

import dev.switchboard.engine.EngineLimits;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param defaultNodeTimeout per-attempt timeout of nodes that set none
 * @param graphCacheSize compiled graphs kept (one per app version or draft revision)
 * @param limits caps on what a graph may ask of the engine ({@code switchboard.engine.limits.*})
 */
@ConfigurationProperties("switchboard.engine")
public record EngineProperties(@DefaultValue("5m") Duration defaultNodeTimeout,
        @DefaultValue("2000") int graphCacheSize, @DefaultValue Limits limits) {
    public EngineProperties {
        if (defaultNodeTimeout == null || defaultNodeTimeout.isNegative() || defaultNodeTimeout.isZero()) {
            throw new IllegalArgumentException("switchboard.engine.default-node-timeout must be > 0");
        }
        if (graphCacheSize < 1) {
            throw new IllegalArgumentException("switchboard.engine.graph-cache-size must be >= 1, was " + graphCacheSize);
        }
        limits = limits == null ? new Limits(500, 2000, 500, 20_000, 1_000_000, 2_000, 10_000) : limits;
    }

    /**
     * Guard rails against hostile or accidental huge graphs; a graph over one is refused with 422
     * naming the limit, a template rendering more than {@code maxRenderedLength} fails its node.
     *
     * @param maxNodes nodes per graph
     * @param maxEdges edges per graph
     * @param maxDepth nodes on the longest path through the graph
     * @param maxTemplateLength characters of one template's source
     * @param maxRenderedLength characters one template may render to
     * @param maxExpressionLength characters of one condition expression
     * @param maxExpressionIterations comprehension iterations of one expression evaluation
     */
    public record Limits(@DefaultValue("500") int maxNodes, @DefaultValue("2000") int maxEdges,
            @DefaultValue("500") int maxDepth, @DefaultValue("20000") int maxTemplateLength,
            @DefaultValue("1000000") int maxRenderedLength, @DefaultValue("2000") int maxExpressionLength,
            @DefaultValue("10000") int maxExpressionIterations) {
        public Limits {
            positive(maxNodes, "max-nodes");
            positive(maxEdges, "max-edges");
            positive(maxDepth, "max-depth");
            positive(maxTemplateLength, "max-template-length");
            positive(maxRenderedLength, "max-rendered-length");
            positive(maxExpressionLength, "max-expression-length");
            positive(maxExpressionIterations, "max-expression-iterations");
        }

        /** The engine's limits with these caps (timeouts and the rest from {@code base}). */
        public EngineLimits applyTo(EngineLimits base) {
            return base.withGraphSize(maxNodes, maxEdges, maxDepth)
                    .withTemplateSize(maxTemplateLength, maxRenderedLength)
                    .withExpressionCost(maxExpressionLength, maxExpressionIterations);
        }

        private static void positive(int value, String name) {
            if (value < 1) {
                throw new IllegalArgumentException("switchboard.engine.limits." + name + " must be >= 1, was " + value);
            }
        }
    }
}
