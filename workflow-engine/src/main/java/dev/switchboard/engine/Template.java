package dev.switchboard.engine;

import java.util.Set;

/**
 * A compiled logic-less template ({@code {{node.field}}}, {@code {{trigger.X}}}); obtained from
 * {@link NodeCompiler#template} and rendered with {@link NodeContext#render}.
 *
 * <p>Rules users see: only variable tags are allowed (sections, partials, lambdas and delimiter
 * changes are refused when the graph is validated); a reference to a missing value (a skipped
 * node, an absent field) renders as the empty string; objects and lists render as JSON; output
 * longer than the engine limit fails the node with {@code template_error}.
 */
public interface Template {

    String source();

    /** Ids of the nodes it references ({@code trigger} excluded). */
    Set<String> referencedNodes();

    /** True when the whole template is a single {@code {{ref}}} (see {@link NodeContext#value}). */
    boolean isSingleReference();
}
