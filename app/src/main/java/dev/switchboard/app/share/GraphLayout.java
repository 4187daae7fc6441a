package dev.switchboard.app.share;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.NodeDefinition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered left-to-right layout of a graph (Sugiyama-style, kept small): each node's layer is
 * the longest path to it from a source, then nodes inside a layer are ordered by the barycentre
 * of their neighbours in alternating downward and upward sweeps to reduce crossings. Edges that
 * would close a cycle (never in a valid graph) are ignored for layering.
 *
 * @param layers node ids per layer, in drawing order (top to bottom)
 * @param edges the drawable edges (both ends exist, no self-loops), in definition order
 */
record GraphLayout(List<List<String>> layers, Map<String, NodeDefinition> nodes, List<EdgeDefinition> edges) {

    private static final int SWEEPS = 4;

    static GraphLayout of(GraphDefinition graph) {
        Map<String, NodeDefinition> nodes = new LinkedHashMap<>();
        for (NodeDefinition node : graph.nodes()) {
            if (node.id() != null && !node.id().isBlank()) {
                nodes.putIfAbsent(node.id(), node);
            }
        }
        List<EdgeDefinition> edges = graph.edges().stream()
                .filter(e -> e.from() != null && e.to() != null && !e.from().equals(e.to())
                        && nodes.containsKey(e.from()) && nodes.containsKey(e.to()))
                .toList();
        Map<String, Integer> layer = longestPathLayers(nodes, edges);
        int depth = layer.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<String>> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            layers.add(new ArrayList<>());
        }
        nodes.keySet().forEach(id -> layers.get(layer.get(id)).add(id));
        order(layers, edges);
        return new GraphLayout(layers.stream().map(List::copyOf).toList(), nodes, edges);
    }

    /** Kahn's topological order; a node's layer is one more than its deepest predecessor's. */
    private static Map<String, Integer> longestPathLayers(Map<String, NodeDefinition> nodes, List<EdgeDefinition> edges) {
        Map<String, List<String>> out = new HashMap<>();
        Map<String, Integer> indegree = new HashMap<>();
        nodes.keySet().forEach(id -> indegree.put(id, 0));
        for (EdgeDefinition e : edges) {
            out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            indegree.merge(e.to(), 1, Integer::sum);
        }
        Map<String, Integer> layer = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        nodes.keySet().stream().filter(id -> indegree.get(id) == 0).forEach(ready::add);
        while (!ready.isEmpty()) {
            String id = ready.poll();
            int mine = layer.getOrDefault(id, 0);
            layer.put(id, mine);
            for (String next : out.getOrDefault(id, List.of())) {
                layer.merge(next, mine + 1, Math::max);
                if (indegree.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        // nodes on a cycle never became ready: put them after everything else
        int after = layer.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        for (String id : nodes.keySet()) {
            if (indegree.get(id) > 0) {
                layer.put(id, after);
            }
        }
        return layer;
    }

    private static void order(List<List<String>> layers, List<EdgeDefinition> edges) {
        Map<String, List<String>> preds = new HashMap<>();
        Map<String, List<String>> succs = new HashMap<>();
        for (EdgeDefinition e : edges) {
            succs.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
            preds.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e.from());
        }
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            Map<String, Double> position = positions(layers);
            if (sweep % 2 == 0) {
                for (int i = 1; i < layers.size(); i++) {
                    sortByBarycentre(layers.get(i), preds, position);
                    position = positions(layers);
                }
            } else {
                for (int i = layers.size() - 2; i >= 0; i--) {
                    sortByBarycentre(layers.get(i), succs, position);
                    position = positions(layers);
                }
            }
        }
    }

    /** A node's position in its layer, scaled to 0..1 so layers of different sizes compare. */
    private static Map<String, Double> positions(List<List<String>> layers) {
        Map<String, Double> position = new HashMap<>();
        for (List<String> layer : layers) {
            for (int i = 0; i < layer.size(); i++) {
                position.put(layer.get(i), layer.size() == 1 ? 0.5 : (double) i / (layer.size() - 1));
            }
        }
        return position;
    }

    private static void sortByBarycentre(List<String> layer, Map<String, List<String>> neighbours,
            Map<String, Double> position) {
        Map<String, Double> key = new HashMap<>();
        for (String id : layer) {
            List<String> ns = neighbours.getOrDefault(id, List.of());
            // a node without neighbours on that side keeps its place
            key.put(id, ns.isEmpty() ? position.get(id)
                    : ns.stream().mapToDouble(position::get).average().orElse(position.get(id)));
        }
        layer.sort(Comparator.comparingDouble(key::get)); // stable: ties keep their order
    }
}
