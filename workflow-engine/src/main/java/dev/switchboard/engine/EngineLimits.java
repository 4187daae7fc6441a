package dev.switchboard.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Guard rails against hostile or accidental huge graphs and runs.
 *
 * @param maxNodes             nodes per graph
 * @param maxEdges             edges per graph
 * @param maxDepth             nodes on the longest path from the input (bounds how long a run can chain)
 * @param maxTemplateLength    characters of one template's source
 * @param maxRenderedLength    characters one template may render to (bigger output fails the node)
 * @param maxReferenceDepth    segments of a {@code {{a.b.c}}} reference
 * @param maxExpressionLength  characters of one condition expression
 * @param maxExpressionIterations comprehension iterations per evaluation (CEL {@code all}, {@code map}, ...)
 * @param defaultNodeTimeout   per-attempt timeout of nodes without {@code timeout}
 * @param maxNodeTimeout       largest {@code timeout} a node may configure
 * @param maxAttempts          largest {@code retry.attempts}
 * @param cancelGrace          how long a cancelled/timed-out run waits for in-flight nodes to stop
 *                             before it is reported finished anyway
 */
public record EngineLimits(int maxNodes, int maxEdges, int maxDepth, int maxTemplateLength, int maxRenderedLength,
                           int maxReferenceDepth, int maxExpressionLength, int maxExpressionIterations,
                           Duration defaultNodeTimeout, Duration maxNodeTimeout, int maxAttempts,
                           Duration cancelGrace) {

    public EngineLimits {
        positive(maxNodes, "maxNodes");
        positive(maxEdges, "maxEdges");
        positive(maxDepth, "maxDepth");
        positive(maxTemplateLength, "maxTemplateLength");
        positive(maxRenderedLength, "maxRenderedLength");
        positive(maxReferenceDepth, "maxReferenceDepth");
        positive(maxExpressionLength, "maxExpressionLength");
        positive(maxExpressionIterations, "maxExpressionIterations");
        positive(maxAttempts, "maxAttempts");
        Objects.requireNonNull(defaultNodeTimeout, "defaultNodeTimeout");
        Objects.requireNonNull(maxNodeTimeout, "maxNodeTimeout");
        Objects.requireNonNull(cancelGrace, "cancelGrace");
        if (defaultNodeTimeout.isNegative() || defaultNodeTimeout.isZero()) {
            throw new IllegalArgumentException("defaultNodeTimeout must be > 0");
        }
        if (maxNodeTimeout.compareTo(defaultNodeTimeout) < 0) {
            throw new IllegalArgumentException("maxNodeTimeout must be >= defaultNodeTimeout");
        }
    }

    public static EngineLimits defaults() {
        return new EngineLimits(500, 2000, 500, 20_000, 1_000_000, 8, 2_000, 10_000,
                Duration.ofMinutes(5), Duration.ofHours(1), 10, Duration.ofSeconds(2));
    }

    public EngineLimits withDefaultNodeTimeout(Duration timeout) {
        return new EngineLimits(maxNodes, maxEdges, maxDepth, maxTemplateLength, maxRenderedLength, maxReferenceDepth,
                maxExpressionLength, maxExpressionIterations, timeout, maxNodeTimeout.compareTo(timeout) < 0 ? timeout : maxNodeTimeout,
                maxAttempts, cancelGrace);
    }

    public EngineLimits withMaxRenderedLength(int chars) {
        return new EngineLimits(maxNodes, maxEdges, maxDepth, maxTemplateLength, chars, maxReferenceDepth,
                maxExpressionLength, maxExpressionIterations, defaultNodeTimeout, maxNodeTimeout, maxAttempts, cancelGrace);
    }

    /** These limits with other graph-size caps. */
    public EngineLimits withGraphSize(int nodes, int edges, int depth) {
        return new EngineLimits(nodes, edges, depth, maxTemplateLength, maxRenderedLength, maxReferenceDepth,
                maxExpressionLength, maxExpressionIterations, defaultNodeTimeout, maxNodeTimeout, maxAttempts, cancelGrace);
    }

    /** These limits with other template caps (source characters, rendered characters). */
    public EngineLimits withTemplateSize(int templateLength, int renderedLength) {
        return new EngineLimits(maxNodes, maxEdges, maxDepth, templateLength, renderedLength, maxReferenceDepth,
                maxExpressionLength, maxExpressionIterations, defaultNodeTimeout, maxNodeTimeout, maxAttempts, cancelGrace);
    }

    /** These limits with other expression caps (source characters, comprehension iterations). */
    public EngineLimits withExpressionCost(int expressionLength, int expressionIterations) {
        return new EngineLimits(maxNodes, maxEdges, maxDepth, maxTemplateLength, maxRenderedLength, maxReferenceDepth,
                expressionLength, expressionIterations, defaultNodeTimeout, maxNodeTimeout, maxAttempts, cancelGrace);
    }

    public EngineLimits withCancelGrace(Duration grace) {
        return new EngineLimits(maxNodes, maxEdges, maxDepth, maxTemplateLength, maxRenderedLength, maxReferenceDepth,
                maxExpressionLength, maxExpressionIterations, defaultNodeTimeout, maxNodeTimeout, maxAttempts, grace);
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
    }
}
