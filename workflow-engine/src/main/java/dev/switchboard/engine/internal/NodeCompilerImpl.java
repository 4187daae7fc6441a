package dev.switchboard.engine.internal;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.Expression;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@link NodeCompiler} for one node of a graph being compiled. Not thread-safe; lives during compilation only. */
final class NodeCompilerImpl implements NodeCompiler {

    private static final Pattern SINGLE_REFERENCE = Pattern.compile("\\{\\{\\{?&?\\s*([A-Za-z0-9_.\\-]+)\\s*}?}}");

    private final GraphCompiler.GraphInfo graph;
    private final String nodeId;
    private final String type;
    private final ObjectNode config;
    private final Problems problems;
    private final int problemsBefore;
    private final Set<String> referencedNodes = new LinkedHashSet<>();
    private boolean referencesTrigger;

    NodeCompilerImpl(GraphCompiler.GraphInfo graph, String nodeId, String type, ObjectNode config, Problems problems,
                     int problemsBefore) {
        this.graph = graph;
        this.nodeId = nodeId;
        this.type = type;
        this.config = config;
        this.problems = problems;
        this.problemsBefore = problemsBefore;
    }

    /** Node ids referenced by every template and expression compiled so far. */
    Set<String> referencedNodes() {
        return referencedNodes;
    }

    boolean referencesTrigger() {
        return referencesTrigger;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public ObjectNode config() {
        return config;
    }

    @Override
    public void problem(String key, String code, String message) {
        problems.add(nodeId, key == null ? null : "config." + key, code, message);
    }

    @Override
    public boolean hasProblems() {
        return problems.anyFor(nodeId);
    }

    @Override
    public Optional<String> requiredText(String key) {
        JsonNode n = config.get(key);
        if (n == null || n.isNull()) {
            problem(key, ValidationProblem.MISSING_CONFIG, "'" + key + "' is required.");
            return Optional.empty();
        }
        if (!n.isString()) {
            problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be text.");
            return Optional.empty();
        }
        if (n.asString().isBlank()) {
            problem(key, ValidationProblem.MISSING_CONFIG, "'" + key + "' must not be empty.");
            return Optional.empty();
        }
        return Optional.of(n.asString());
    }

    @Override
    public Optional<String> optionalText(String key) {
        JsonNode n = config.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isString()) {
            problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be text.");
            return Optional.empty();
        }
        return Optional.of(n.asString());
    }

    @Override
    public Optional<Integer> optionalInt(String key, int min, int max) {
        JsonNode n = config.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))
                || n.asDouble() < min || n.asDouble() > max) {
            problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be a whole number from " + min + " to " + max + ".");
            return Optional.empty();
        }
        return Optional.of((int) n.asLong());
    }

    @Override
    public Optional<Double> optionalNumber(String key, double min, double max) {
        JsonNode n = config.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isNumber() || Double.isNaN(n.asDouble()) || n.asDouble() < min || n.asDouble() > max) {
            problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be a number from " + fmt(min) + " to " + fmt(max) + ".");
            return Optional.empty();
        }
        return Optional.of(n.asDouble());
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    @Override
    public Optional<Boolean> optionalBoolean(String key) {
        JsonNode n = config.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be true or false.");
            return Optional.empty();
        }
        return Optional.of(n.asBoolean());
    }

    @Override
    public Optional<List<String>> optionalTextList(String key) {
        JsonNode n = config.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (n.isString()) {
            return Optional.of(List.of(n.asString()));
        }
        if (!n.isArray()) {
            problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be text or a list of texts.");
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isString()) {
                problem(key + "[" + i + "]", ValidationProblem.INVALID_CONFIG, "'" + key + "' must contain only texts.");
                return Optional.empty();
            }
            out.add(e.asString());
        }
        return Optional.of(List.copyOf(out));
    }

    @Override
    public Optional<JsonNode> value(String key) {
        JsonNode n = config.get(key);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    @Override
    public Template template(String key, String source) {
        return compileTemplate(key, source, false);
    }

    @Override
    public Template jsonTemplate(String key, String source) {
        return compileTemplate(key, source, true);
    }

    private Template compileTemplate(String key, String source, boolean json) {
        TemplateEngine.Parsed parsed = graph.templates().parse(source, json);
        for (int i = 0; i < parsed.errors().size(); i++) {
            problem(key, parsed.errorCodes().get(i), parsed.errors().get(i));
        }
        Set<String> nodes = new LinkedHashSet<>();
        boolean trigger = false;
        boolean refsOk = true;
        for (String variable : parsed.variables()) {
            String[] path = variable.split("\\.", -1);
            if (path[0].equals(CelSupport.TRIGGER)) {
                trigger = true;
                continue;
            }
            if (!checkReference(key, "{{" + variable + "}}", path)) {
                refsOk = false;
                continue;
            }
            nodes.add(path[0]);
        }
        referencedNodes.addAll(nodes);
        referencesTrigger |= trigger;
        String[] single = null;
        if (parsed.ok() && refsOk && parsed.variables().size() == 1) {
            var m = SINGLE_REFERENCE.matcher(source);
            if (m.matches()) {
                single = m.group(1).split("\\.", -1);
            }
        }
        return new CompiledTemplate(source, parsed.ok() ? parsed.template() : null, nodes, trigger, single);
    }

    /** Checks {@code {{a.b}}}: a is a node, upstream of this one, and b is a field it exposes (where known). */
    private boolean checkReference(String key, String shown, String[] path) {
        for (String segment : path) {
            if (segment.isEmpty()) {
                problem(key, ValidationProblem.TEMPLATE_SYNTAX, shown + " is not a valid reference; write {{node.field}}.");
                return false;
            }
        }
        String target = path[0];
        if (!graph.isNode(target)) {
            problem(key, ValidationProblem.UNKNOWN_REFERENCE,
                    shown + " refers to '" + target + "', which is not a node in this graph.");
            return false;
        }
        return checkUpstream(key, shown, target, path.length > 1 ? path[1] : null);
    }

    private boolean checkUpstream(String key, String shown, String target, String field) {
        if (target.equals(nodeId)) {
            problem(key, ValidationProblem.NOT_UPSTREAM, shown + " refers to this node itself; use a node that runs before it.");
            return false;
        }
        if (!graph.isUpstream(target, nodeId)) {
            problem(key, ValidationProblem.NOT_UPSTREAM, shown + " uses node '" + target + "', which does not run before '"
                    + nodeId + "'. Connect '" + target + "' to '" + nodeId + "' (directly or through other nodes) to use its results.");
            return false;
        }
        if (field != null) {
            Optional<Set<String>> exposed = graph.exposedFields(target);
            if (exposed.isPresent() && !exposed.get().contains(field)
                    && !(field.equals("error") && graph.hasErrorEdges(target))) {
                problem(key, ValidationProblem.UNKNOWN_FIELD, shown + ": node '" + target + "' has no field '" + field
                        + "'. Available: " + String.join(", ", exposed.get()) + ".");
                return false;
            }
        }
        return true;
    }

    @Override
    public Expression expression(String key, String source, boolean mustBeBoolean) {
        CelSupport.Compiled compiled = graph.cel().compile(source, mustBeBoolean);
        for (int i = 0; i < compiled.errors().size(); i++) {
            problem(key, compiled.codes().get(i), compiled.errors().get(i));
        }
        CompiledExpression expression = compiled.expression();
        if (expression == null) {
            return new UncompiledExpression(source);
        }
        for (String ref : expression.referencedNodes()) {
            if (!graph.isNode(ref)) {
                problem(key, ValidationProblem.UNKNOWN_REFERENCE, "The expression refers to '" + ref + "', which is not a node in this graph.");
            } else {
                checkUpstream(key, "The expression", ref, null);
            }
        }
        referencedNodes.addAll(expression.referencedNodes());
        referencesTrigger |= source.contains(CelSupport.TRIGGER);
        return expression;
    }

    @Override
    public Set<String> upstream() {
        return graph.upstreamOf(nodeId);
    }

    @Override
    public List<EdgeDefinition> outgoingEdges() {
        return graph.outgoing(nodeId);
    }

    /** Stand-in for an expression that failed to compile (the graph is invalid; never evaluated). */
    private record UncompiledExpression(String source) implements Expression {
        @Override
        public Set<String> referencedNodes() {
            return Set.of();
        }
    }
}
