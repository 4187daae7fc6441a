package dev.switchboard.engine;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * A type of node ({@code "ai"}, {@code "policy.pii"}, ...): validates and compiles a node's config
 * into a {@link NodeExecutor}. Register extra kinds with {@link WorkflowEngine.Builder#nodeKind}.
 *
 * <p>The engine handles the config keys common to every kind — {@code timeout}, {@code retry},
 * {@code onError}, {@code default} — so kinds ignore those. Implementations must be thread-safe.
 */
public interface NodeKind {

    /** The {@code type} string in graph JSON; letters, digits, '.', '_' and '-'. */
    String type();

    /**
     * Checks {@code compiler.config()} and compiles it. Report every problem through
     * {@code compiler}; if any was reported the returned executor is discarded (it may be null).
     */
    NodeExecutor compile(NodeCompiler compiler);

    /**
     * The output fields a node with this config exposes, used to flag {@code {{node.typo}}} at
     * validation time. Empty = not known statically (any field is accepted).
     */
    default Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.empty();
    }

    /**
     * Labels this kind's outgoing edges must carry ({@code when}), e.g. {@code {"true","false"}} for
     * conditions; empty (default) means its edges are unlabelled. {@code "error"} edges are handled
     * by the engine for every kind.
     */
    default Set<String> branchLabels() {
        return Set.of();
    }

    /**
     * True when this kind gives the config key {@code timeout} its own meaning (e.g. {@code review}:
     * how long a human has to decide). The engine then neither parses nor limits it, and the node's
     * attempts run under the default node timeout.
     */
    default boolean handlesTimeout() {
        return false;
    }

    /**
     * The result used when a node fails and its config says {@code onError: default} with
     * {@code default: value}. Default: an object becomes the outputs; anything else becomes
     * {@code {"value": value}}. Values are plain Java (Map, List, String, Number, Boolean, null).
     */
    @SuppressWarnings("unchecked")
    default NodeResult defaultResult(Object value) {
        if (value instanceof Map<?, ?> map) {
            return NodeResult.of((Map<String, ?>) map);
        }
        return NodeResult.of(java.util.Collections.singletonMap("value", value));
    }
}
