package dev.switchboard.app.appmodels;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.NodeDefinition;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Which {@code ai} node's tokens are the answer: the node whose {@code text} an output value is,
 * verbatim ({@code "{{ai.text}}"}). Any other output (a transform of the text, a constant) has no
 * such node, and is only sent when the run ends.
 */
final class AnswerNode {

    private static final Pattern TEXT_REF = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_-]*)\\.text\\s*}}");

    private AnswerNode() {
    }

    /** The id of the ai node that {@code output} is the text of, or null. */
    static String of(CompiledGraph graph, String output) {
        if (output == null) {
            return null;
        }
        String found = null;
        for (NodeDefinition n : graph.definition().nodes()) {
            JsonNode value = n.type().equals("output") ? n.config().path("values").get(output) : null;
            if (value == null || !value.isString()) {
                continue;
            }
            Matcher m = TEXT_REF.matcher(value.asString().strip());
            String node = m.matches() && isAi(graph, m.group(1)) ? m.group(1) : null;
            if (found != null && !found.equals(node)) {
                return null; // output nodes on different branches answer from different places
            }
            found = node;
            if (node == null) {
                return null;
            }
        }
        return found;
    }

    private static boolean isAi(CompiledGraph graph, String id) {
        return graph.definition().nodes().stream().anyMatch(n -> n.id().equals(id) && n.type().equals("ai"));
    }
}
