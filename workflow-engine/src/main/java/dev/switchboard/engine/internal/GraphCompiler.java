package dev.switchboard.engine.internal;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.EngineLimits;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.NodeDefinition;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.ValidationProblem;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates a graph and compiles it. Finds every problem in one pass over structure (ids, types,
 * edges, labels, cycles, input/output, reachability) and then compiles each node's config, so a
 * user sees all problems at once. Stateless apart from its collaborators; thread-safe.
 */
final class GraphCompiler {

    static final Set<String> RESERVED_IDS = Set.of(CelSupport.TRIGGER, CelSupport.NODES, "this", "error");

    private final Map<String, NodeKind> kinds;
    private final EngineLimits limits;
    private final TemplateEngine templates;
    private final CelSupport cel;

    GraphCompiler(Map<String, NodeKind> kinds, EngineLimits limits) {
        this.kinds = kinds;
        this.limits = limits;
        this.templates = new TemplateEngine(limits.maxTemplateLength(), limits.maxReferenceDepth());
        this.cel = new CelSupport(limits.maxExpressionLength(), limits.maxExpressionIterations());
    }

    record Result(List<ValidationProblem> problems, CompiledGraphImpl graph) {
    }

    Result compile(GraphDefinition definition) {
        Problems problems = new Problems();
        if (definition.nodes().size() > limits.maxNodes()) {
            problems.add(null, "nodes", ValidationProblem.TOO_LARGE,
                    "The graph has " + definition.nodes().size() + " nodes; the limit is " + limits.maxNodes() + ".");
            return new Result(problems.toList(), null);
        }
        if (definition.edges().size() > limits.maxEdges()) {
            problems.add(null, "edges", ValidationProblem.TOO_LARGE,
                    "The graph has " + definition.edges().size() + " edges; the limit is " + limits.maxEdges() + ".");
            return new Result(problems.toList(), null);
        }
        if (definition.nodes().isEmpty()) {
            problems.add(null, "nodes", ValidationProblem.NO_NODES, "The graph has no nodes; add an input and an output node.");
            return new Result(problems.toList(), null);
        }
        GraphStructure s = new GraphStructure(definition, kinds, problems);
        s.checkNodes();
        s.checkEdges();
        s.checkCycles();
        s.checkDepth(limits.maxDepth());
        s.checkInputAndOutput();
        s.checkReachability();
        // per-node: shared policy keys, then the kind's own config
        Map<String, NodePolicy> policies = new LinkedHashMap<>();
        for (int i : s.valid()) {
            NodeKind kind = s.kind(i);
            if (kind != null) {
                NodeDefinition n = definition.nodes().get(i);
                policies.put(n.id(), NodePolicy.parse(n.id(), n.config(), kind, s.outgoing(n.id()), limits, problems));
            }
        }
        s.checkLabels(policies);
        GraphInfo info = new GraphInfo(s, policies);
        List<CompiledNode> compiled = new ArrayList<>();
        for (int i : s.valid()) {
            NodeKind kind = s.kind(i);
            if (kind == null) {
                continue;
            }
            NodeDefinition n = definition.nodes().get(i);
            NodeCompilerImpl nc = new NodeCompilerImpl(info, n.id(), n.type(), n.config().deepCopy(), problems, problems.size());
            NodeExecutor executor;
            try {
                executor = kind.compile(nc);
            } catch (RuntimeException e) {
                problems.add(n.id(), "config", ValidationProblem.INVALID_CONFIG,
                        "The '" + n.type() + "' node's settings could not be checked: " + e.getMessage());
                continue;
            }
            if (!nc.hasProblems() && executor != null) {
                compiled.add(new CompiledNode(n.id(), n.type(), kind, executor, policies.get(n.id()), nc.config(),
                        List.copyOf(nc.referencedNodes()), nc.referencesTrigger()));
            }
        }
        if (problems.any()) {
            return new Result(problems.toList(), null);
        }
        return new Result(List.of(), CompiledGraphImpl.link(definition, compiled, s.inputId()));
    }

    /** What node compilers may ask about the graph. */
    final class GraphInfo {
        private final GraphStructure s;
        private final Map<String, NodePolicy> policies;
        private final Map<String, Optional<Set<String>>> exposed = new LinkedHashMap<>();
        private CelSupport.Scope celScope;

        GraphInfo(GraphStructure s, Map<String, NodePolicy> policies) {
            this.s = s;
            this.policies = policies;
            for (int i : s.valid()) {
                NodeKind kind = s.kind(i);
                NodeDefinition n = s.definition.nodes().get(i);
                Optional<Set<String>> fields = Optional.empty();
                if (kind != null) {
                    try {
                        fields = kind.exposedFields(n.config()).map(f -> (Set<String>) new TreeSet<>(f));
                    } catch (RuntimeException e) {
                        fields = Optional.empty();
                    }
                }
                exposed.put(n.id(), fields);
            }
        }

        TemplateEngine templates() {
            return templates;
        }

        CelSupport.Scope cel() {
            if (celScope == null) {
                celScope = cel.scope(s.ids.keySet());
            }
            return celScope;
        }

        boolean isNode(String id) {
            return s.ids.containsKey(id);
        }

        boolean isUpstream(String candidate, String of) {
            return s.ancestors(s.ids.get(of)).get(s.ids.get(candidate));
        }

        Set<String> upstreamOf(String id) {
            Set<String> out = new LinkedHashSet<>();
            BitSet a = s.ancestors(s.ids.get(id));
            for (int i = a.nextSetBit(0); i >= 0; i = a.nextSetBit(i + 1)) {
                out.add(s.definition.nodes().get(i).id());
            }
            return out;
        }

        Optional<Set<String>> exposedFields(String id) {
            return exposed.getOrDefault(id, Optional.empty());
        }

        boolean hasErrorEdges(String id) {
            NodePolicy p = policies.get(id);
            return p != null && p.onError() == NodePolicy.OnError.EDGE;
        }

        List<EdgeDefinition> outgoing(String id) {
            return s.outgoing(id);
        }
    }

}
