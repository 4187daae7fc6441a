package dev.switchboard.engine.internal;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.NodeDefinition;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Structural checks over ids, types and edges. */
final class GraphStructure {

    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

    final GraphDefinition definition;
    private final Map<String, NodeKind> kinds;
    private final Problems problems;
    /** valid, unique id → index into definition.nodes() */
    final Map<String, Integer> ids = new LinkedHashMap<>();
    private final List<Integer> valid = new ArrayList<>();
    private final List<List<Integer>> succ = new ArrayList<>();
    private final List<List<Integer>> pred = new ArrayList<>();
    private final Map<String, List<EdgeDefinition>> outgoing = new LinkedHashMap<>();
    private final Map<Integer, BitSet> ancestors = new LinkedHashMap<>();
    private String inputId;

    GraphStructure(GraphDefinition definition, Map<String, NodeKind> kinds, Problems problems) {
        this.definition = definition;
        this.kinds = kinds;
        this.problems = problems;
        for (int i = 0; i < definition.nodes().size(); i++) {
            succ.add(new ArrayList<>());
            pred.add(new ArrayList<>());
        }
    }

    List<Integer> valid() {
        return valid;
    }

    NodeKind kind(int index) {
        String type = definition.nodes().get(index).type();
        return type == null ? null : kinds.get(type);
    }

    String inputId() {
        return inputId;
    }

    List<EdgeDefinition> outgoing(String id) {
        return outgoing.getOrDefault(id, List.of());
    }

    void checkNodes() {
        for (int i = 0; i < definition.nodes().size(); i++) {
            NodeDefinition n = definition.nodes().get(i);
            String id = n.id();
            String where = "nodes[" + i + "].id";
            if (id == null || id.isBlank()) {
                problems.add(null, where, ValidationProblem.BLANK_ID, "Node " + (i + 1) + " has no id.");
                continue;
            }
            if (!ID.matcher(id).matches()) {
                problems.add(id.length() > 64 ? null : id, where, ValidationProblem.INVALID_ID,
                        "Node id '" + abbreviate(id) + "' must start with a letter or '_' and contain only letters, digits, '_' or '-' (at most 64).");
                continue;
            }
            if (GraphCompiler.RESERVED_IDS.contains(id)) {
                problems.add(id, "id", ValidationProblem.RESERVED_ID, "'" + id + "' is a reserved name; choose another node id.");
                continue;
            }
            if (ids.containsKey(id)) {
                problems.add(id, "id", ValidationProblem.DUPLICATE_ID, "Two nodes have the id '" + id + "'; ids must be unique.");
                continue;
            }
            ids.put(id, i);
            valid.add(i);
            if (n.type() == null || n.type().isBlank()) {
                problems.add(id, "type", ValidationProblem.MISSING_TYPE, "Node '" + id + "' has no type.");
            } else if (!kinds.containsKey(n.type())) {
                problems.add(id, "type", ValidationProblem.UNKNOWN_TYPE, "Node '" + id + "' has the unknown type '"
                        + abbreviate(n.type()) + "'. Available types: " + String.join(", ", new TreeSet<>(kinds.keySet())) + ".");
            }
        }
    }

    void checkEdges() {
        Set<EdgeDefinition> seen = new LinkedHashSet<>();
        for (int i = 0; i < definition.edges().size(); i++) {
            EdgeDefinition e = definition.edges().get(i);
            Integer from = endpoint(i, e.from(), "from", e);
            Integer to = endpoint(i, e.to(), "to", e);
            if (from == null || to == null) {
                continue;
            }
            if (!seen.add(e)) {
                problems.add(e.from(), "edges[" + i + "]", ValidationProblem.DUPLICATE_EDGE,
                        "The edge from '" + e.from() + "' to '" + e.to() + "' appears twice.");
                continue;
            }
            if (from.equals(to)) {
                problems.add(e.from(), "edges[" + i + "]", ValidationProblem.CYCLE,
                        "Node '" + e.from() + "' has an edge to itself; a workflow must not loop back.");
                continue;
            }
            outgoing.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
            if (!succ.get(from).contains(to)) {
                succ.get(from).add(to);
                pred.get(to).add(from);
            }
        }
    }

    private Integer endpoint(int edge, String id, String side, EdgeDefinition e) {
        String field = "edges[" + edge + "]." + side;
        if (id == null || id.isBlank()) {
            problems.add(null, field, ValidationProblem.DANGLING_EDGE, "Edge " + (edge + 1) + " has no '" + side + "' node.");
            return null;
        }
        Integer index = ids.get(id);
        if (index == null) {
            String other = side.equals("from") ? e.to() : e.from();
            problems.add(other != null && ids.containsKey(other) ? other : null, field, ValidationProblem.DANGLING_EDGE,
                    "Edge " + (edge + 1) + " (" + abbreviate(e.from()) + " → " + abbreviate(e.to()) + ") points to '"
                            + abbreviate(id) + "', which is not a node in this graph.");
        }
        return index;
    }

    void checkLabels(Map<String, NodePolicy> policies) {
        for (int i = 0; i < definition.edges().size(); i++) {
            EdgeDefinition e = definition.edges().get(i);
            if (e.from() == null || !ids.containsKey(e.from()) || e.to() == null || !ids.containsKey(e.to())) {
                continue;
            }
            NodeKind kind = kind(ids.get(e.from()));
            if (kind == null) {
                continue;
            }
            String field = "edges[" + i + "].when";
            Set<String> labels = kind.branchLabels();
            String desc = "The edge from '" + e.from() + "' to '" + e.to() + "'";
            if (EdgeDefinition.WHEN_ERROR.equals(e.when())) {
                NodePolicy p = policies.get(e.from());
                if (p == null || p.onError() != NodePolicy.OnError.EDGE) {
                    problems.add(e.from(), field, ValidationProblem.INVALID_EDGE_LABEL, desc
                            + " is followed on error, but '" + e.from() + "' does not have onError: \"edge\".");
                }
            } else if (e.when() == null) {
                if (!labels.isEmpty()) {
                    problems.add(e.from(), field, ValidationProblem.MISSING_EDGE_LABEL, desc + " needs when: "
                            + quoted(labels) + " because '" + e.from() + "' is a " + kind.type() + ".");
                }
            } else if (labels.isEmpty()) {
                problems.add(e.from(), field, ValidationProblem.INVALID_EDGE_LABEL, desc + " has when: \""
                        + abbreviate(e.when()) + "\", but only edges leaving a condition carry a label (or \"error\").");
            } else if (!labels.contains(e.when())) {
                problems.add(e.from(), field, ValidationProblem.INVALID_EDGE_LABEL, desc + " has when: \""
                        + abbreviate(e.when()) + "\"; it must be " + quoted(labels) + ".");
            }
        }
    }

    private static String quoted(Set<String> labels) {
        return String.join(" or ", new TreeSet<>(labels).descendingSet().stream().map(l -> "\"" + l + "\"").toList());
    }

    void checkCycles() {
        for (List<Integer> scc : new Tarjan(succ).components()) {
            if (scc.size() < 2) {
                continue;
            }
            List<Integer> cycle = cycleThrough(scc);
            StringBuilder path = new StringBuilder();
            for (int i : cycle) {
                path.append('\'').append(definition.nodes().get(i).id()).append("' → ");
            }
            path.append('\'').append(definition.nodes().get(cycle.getFirst()).id()).append('\'');
            problems.add(definition.nodes().get(cycle.getFirst()).id(), null, ValidationProblem.CYCLE,
                    "These nodes form a cycle: " + path + ". A workflow must not loop back.");
        }
    }

    /**
     * Refuses a graph whose longest path (counted in nodes) exceeds {@code maxDepth}. Longest paths
     * in topological order (Kahn), so O(nodes + edges) and no recursion; a graph with a cycle is
     * skipped here (the cycle is reported already).
     */
    void checkDepth(int maxDepth) {
        int n = succ.size();
        int[] indegree = new int[n];
        for (List<Integer> targets : succ) {
            for (int w : targets) {
                indegree[w]++;
            }
        }
        int[] depth = new int[n];
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
                depth[i] = 1;
            }
        }
        int visited = 0;
        int deepest = -1;
        while (!ready.isEmpty()) {
            int v = ready.poll();
            visited++;
            if (deepest < 0 || depth[v] > depth[deepest]) {
                deepest = v;
            }
            for (int w : succ.get(v)) {
                depth[w] = Math.max(depth[w], depth[v] + 1);
                if (--indegree[w] == 0) {
                    ready.add(w);
                }
            }
        }
        if (visited == n && deepest >= 0 && depth[deepest] > maxDepth) {
            problems.add(null, "edges", ValidationProblem.TOO_LARGE, "The longest path of the graph has " + depth[deepest]
                    + " nodes (ending at '" + abbreviate(definition.nodes().get(deepest).id()) + "'); the limit is "
                    + maxDepth + ".");
        }
    }

    /** A concrete cycle through the lowest-index node of a strongly connected component (BFS back to it). */
    private List<Integer> cycleThrough(List<Integer> scc) {
        Set<Integer> members = new LinkedHashSet<>(scc);
        int start = scc.stream().min(Integer::compare).orElseThrow();
        Map<Integer, Integer> parent = new LinkedHashMap<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        Integer last = null;
        while (!queue.isEmpty() && last == null) {
            int v = queue.poll();
            for (int w : succ.get(v)) {
                if (!members.contains(w)) {
                    continue;
                }
                if (w == start) {
                    last = v;
                    break;
                }
                if (!parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        List<Integer> path = new ArrayList<>();
        for (Integer v = last; v != null && v != start; v = parent.get(v)) {
            path.addFirst(v);
        }
        path.addFirst(start);
        return path;
    }

    void checkInputAndOutput() {
        List<String> inputs = new ArrayList<>();
        boolean output = false;
        for (int i : valid) {
            NodeDefinition n = definition.nodes().get(i);
            if (InputKind.TYPE.equals(n.type())) {
                inputs.add(n.id());
            } else if ("output".equals(n.type())) {
                output = true;
            }
        }
        if (inputs.isEmpty()) {
            problems.add(null, "nodes", ValidationProblem.NO_INPUT, "The graph has no input node; every workflow starts at one node of type \"input\".");
        } else {
            inputId = inputs.getFirst();
            for (String extra : inputs.subList(1, inputs.size())) {
                problems.add(extra, "type", ValidationProblem.MULTIPLE_INPUTS,
                        "Only one input node is allowed; '" + inputId + "' is already the input.");
            }
            for (String in : inputs) {
                if (!pred.get(ids.get(in)).isEmpty()) {
                    problems.add(in, null, ValidationProblem.INPUT_HAS_INCOMING,
                            "The input node '" + in + "' starts the workflow, so no edge may lead into it.");
                }
            }
        }
        if (!output) {
            problems.add(null, "nodes", ValidationProblem.NO_OUTPUT, "The graph has no output node; add a node of type \"output\" to return results.");
        }
    }

    void checkReachability() {
        if (inputId == null) {
            return;
        }
        BitSet seen = new BitSet();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        int start = ids.get(inputId);
        seen.set(start);
        queue.add(start);
        while (!queue.isEmpty()) {
            for (int w : succ.get(queue.poll())) {
                if (!seen.get(w)) {
                    seen.set(w);
                    queue.add(w);
                }
            }
        }
        for (int i : valid) {
            NodeDefinition n = definition.nodes().get(i);
            if (!seen.get(i) && !InputKind.TYPE.equals(n.type())) {
                problems.add(n.id(), null, ValidationProblem.UNREACHABLE, "Node '" + n.id()
                        + "' can't be reached from the input node '" + inputId + "'; connect it or remove it.");
            }
        }
    }

    /** Transitive predecessors of a node (memoised reverse BFS; safe with cycles). */
    BitSet ancestors(int index) {
        BitSet cached = ancestors.get(index);
        if (cached != null) {
            return cached;
        }
        BitSet seen = new BitSet();
        ArrayDeque<Integer> queue = new ArrayDeque<>(pred.get(index));
        while (!queue.isEmpty()) {
            int v = queue.poll();
            if (!seen.get(v)) {
                seen.set(v);
                queue.addAll(pred.get(v));
            }
        }
        seen.clear(index);
        ancestors.put(index, seen);
        return seen;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
