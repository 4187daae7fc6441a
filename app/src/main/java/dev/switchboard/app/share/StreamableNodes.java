package dev.switchboard.app.share;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.NodeDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Which AI nodes a share page may stream token by token: those an output node shows directly
 * ({@code {{ai.text}}} in an output value) and after which no governance node ({@code policy.*},
 * {@code review}) runs. Text that a policy may still block or redact, or that only feeds later
 * steps, appears only in the final outputs.
 */
final class StreamableNodes {

    private static final Pattern REFERENCE = Pattern.compile("\\{\\{[{&]?\\s*([A-Za-z_][A-Za-z0-9_-]*)\\.");

    private StreamableNodes() {
    }

    static Set<String> of(GraphDefinition graph) {
        Map<String, String> types = new HashMap<>();
        graph.nodes().forEach(n -> {
            if (n.id() != null) {
                types.put(n.id(), n.type() == null ? "" : n.type());
            }
        });
        Set<String> shown = new HashSet<>();
        for (NodeDefinition node : graph.nodes()) {
            if ("output".equals(node.type()) && node.config().get("values") instanceof JsonNode values && values.isObject()) {
                for (JsonNode value : values) {
                    if (value.isString()) {
                        Matcher m = REFERENCE.matcher(value.asString());
                        while (m.find()) {
                            shown.add(m.group(1));
                        }
                    }
                }
            }
        }
        Map<String, List<String>> next = new HashMap<>();
        for (EdgeDefinition e : graph.edges()) {
            if (e.from() != null && e.to() != null) {
                next.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            }
        }
        Set<String> streamable = new LinkedHashSet<>();
        for (String id : shown) {
            if ("ai".equals(types.get(id)) && !governedAfter(id, next, types)) {
                streamable.add(id);
            }
        }
        return streamable;
    }

    private static boolean governedAfter(String start, Map<String, List<String>> next, Map<String, String> types) {
        Deque<String> todo = new ArrayDeque<>(next.getOrDefault(start, List.of()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (!seen.add(id)) {
                continue;
            }
            String type = types.getOrDefault(id, "");
            if (type.startsWith("policy.") || type.equals("review")) {
                return true;
            }
            todo.addAll(next.getOrDefault(id, List.of()));
        }
        return false;
    }
}
