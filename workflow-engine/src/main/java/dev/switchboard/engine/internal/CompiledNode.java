package dev.switchboard.engine.internal;

import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** One node of a compiled graph; immutable after {@link CompiledGraphImpl#link}. */
final class CompiledNode {

    /** An edge leaving this node: target index and {@code when} label (null = unconditional). */
    record Out(int target, String when) {
    }

    final String id;
    final String type;
    final NodeKind kind;
    final NodeExecutor executor;
    final NodePolicy policy;
    final ObjectNode config;
    /** Upstream node ids this node's templates/expressions read (for NodeStarted.inputs). */
    final String[] referencedNodes;
    final boolean referencesTrigger;

    int index;
    Out[] outs;
    /** Number of incoming edges (each is resolved exactly once per run). */
    int inDegree;

    CompiledNode(String id, String type, NodeKind kind, NodeExecutor executor, NodePolicy policy, ObjectNode config,
                 List<String> referencedNodes, boolean referencesTrigger) {
        this.id = id;
        this.type = type;
        this.kind = kind;
        this.executor = executor;
        this.policy = policy;
        this.config = config;
        this.referencedNodes = referencedNodes.toArray(String[]::new);
        this.referencesTrigger = referencesTrigger;
    }
}
