package dev.switchboard.engine;

import java.util.Set;

/**
 * A compiled, sandboxed CEL expression; obtained from {@link NodeCompiler#expression} and
 * evaluated with {@link NodeContext#evaluate}. Variables are upstream node ids (each a map of that
 * node's outputs), {@code trigger}, and {@code nodes} (a map of every upstream node by id, for
 * ids that are not valid CEL identifiers: {@code nodes["my-node"].text}).
 */
public interface Expression {

    String source();

    /** Ids of the nodes it references. */
    Set<String> referencedNodes();
}
