package dev.switchboard.app.experiments;

import dev.switchboard.app.apps.AppService;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.experiments.ExperimentViews.Message;
import dev.switchboard.app.experiments.ExperimentViews.Usage;
import dev.switchboard.app.support.Ids;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.GraphValidationException;
import dev.switchboard.engine.InputCheck;
import dev.switchboard.engine.NodeDefinition;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunContext;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders the prompt of one {@code ai} node of an app for given inputs, exactly as a run would:
 * the node's ancestors run on the engine (upstream values given by the caller are used as
 * checkpoints instead of running those nodes), and the {@code ai} node is replaced by an output
 * node holding its prompt (or message) templates, so the same template rules apply. Upstream
 * {@code ai} nodes that are not given do call their models; what they spent is reported.
 */
@Component
class PromptRenderer {

    /** The node's prompt, its configuration (for default model and parameters), and what rendering spent. */
    record Rendered(String prompt, List<Message> messages, ObjectNode nodeConfig, String version, Usage upstreamUsage) {
    }

    private static final String PROMPT = "__prompt";
    private static final String MESSAGE = "__message_";

    private final AppService apps;
    private final WorkflowEngine engine;
    private final JsonMapper json;
    private final Ids ids;
    private final Clock clock;
    private final ExperimentProperties properties;

    PromptRenderer(AppService apps, WorkflowEngine engine, JsonMapper json, Ids ids, Clock clock,
            ExperimentProperties properties) {
        this.apps = apps;
        this.engine = engine;
        this.json = json;
        this.ids = ids;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * @throws ApiException 404 for an unknown app or version; 422 for an unknown or non-{@code ai}
     *     node, bad inputs or upstream values, or when an upstream node fails
     */
    Rendered render(UUID workspaceId, UUID appId, String nodeId, VersionSelector selector, Map<String, Object> inputs,
            Map<String, Object> upstream) {
        String version = versionName(workspaceId, appId, selector);
        JsonNode graphJson = version.equals("draft") ? apps.get(workspaceId, appId).graph()
                : apps.version(workspaceId, appId, Integer.parseInt(version)).graph();
        GraphDefinition graph = json.treeToValue(graphJson, GraphDefinition.class);
        NodeDefinition node = graph.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> invalid("nodeId", "unknown-node", "the app has no node '" + nodeId + "'"));
        if (!node.type().equals("ai")) {
            throw invalid("nodeId", "not-ai", "node '" + nodeId + "' is a " + node.type() + " node; experiments take an ai node");
        }
        Set<String> ancestors = ancestors(graph, nodeId);
        CompiledGraph compiled;
        try {
            compiled = engine.compile(subgraph(graph, node, ancestors));
        } catch (GraphValidationException e) {
            throw ApiException.invalidGraph(e.problems());
        }
        InputCheck check = compiled.prepareInputs(inputs == null ? Map.of() : inputs);
        if (!check.valid()) {
            throw ApiException.invalidFields("The inputs are invalid", check.problems().stream()
                    .map(p -> new FieldProblem(p.field() == null ? "inputs" : "inputs." + p.field(), p.code(), p.message()))
                    .toList());
        }
        RunContext context = new RunContext(ids.next().toString(), workspaceId.toString(), appId.toString(), "experiment",
                Map.of("purpose", "render", "nodeId", nodeId));
        RunRequest request = RunRequest.builder(context).inputs(check.values())
                .checkpoints(checkpoints(upstream, ancestors))
                .deadline(clock.instant().plus(properties.timeout())).build();
        RunOutcome outcome = engine.run(compiled, request);
        if (!outcome.succeeded()) {
            String why = outcome.error() == null ? outcome.status().wireName()
                    : (outcome.error().nodeId() == null ? "" : "node '" + outcome.error().nodeId() + "': ")
                    + outcome.error().message();
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "render-failed", "The prompt could not be rendered",
                    "Running the nodes before '" + nodeId + "' ended " + outcome.status().wireName() + ": " + why,
                    Map.of("nodeId", nodeId));
        }
        Usage spent = new Usage(outcome.usage().input(), outcome.usage().output(), outcome.usage().total(),
                outcome.usage().estimated());
        Map<String, Object> out = outcome.outputs();
        if (node.config().hasNonNull("messages")) {
            List<Message> messages = new ArrayList<>();
            JsonNode configured = node.config().get("messages");
            for (int i = 0; i < configured.size(); i++) {
                messages.add(new Message(configured.get(i).path("role").asString("user"), text(out.get(MESSAGE + i))));
            }
            return new Rendered(null, messages, node.config(), version, spent);
        }
        return new Rendered(text(out.get(PROMPT)), null, node.config(), version, spent);
    }

    private String versionName(UUID workspaceId, UUID appId, VersionSelector selector) {
        return switch (selector) {
            case VersionSelector.Draft d -> "draft";
            case VersionSelector.Exact e -> Integer.toString(e.version());
            case VersionSelector.Latest l -> {
                Integer latest = apps.get(workspaceId, appId).latestVersion();
                yield latest == null ? "draft" : latest.toString();
            }
        };
    }

    /** Every node the target depends on (edges followed backwards). */
    static Set<String> ancestors(GraphDefinition graph, String target) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(target));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            for (EdgeDefinition e : graph.edges()) {
                if (e.to().equals(id) && seen.add(e.from())) {
                    todo.push(e.from());
                }
            }
        }
        return seen;
    }

    /** The ancestors, plus an output node in the ai node's place that renders its templates. */
    private static GraphDefinition subgraph(GraphDefinition graph, NodeDefinition ai, Set<String> ancestors) {
        List<NodeDefinition> nodes = new ArrayList<>();
        graph.nodes().stream().filter(n -> ancestors.contains(n.id())).forEach(nodes::add);
        String renderId = uniqueId(graph, "__render");
        ObjectNode values = JsonNodeFactory.instance.objectNode();
        if (ai.config().hasNonNull("messages")) {
            JsonNode messages = ai.config().get("messages");
            for (int i = 0; i < messages.size(); i++) {
                values.put(MESSAGE + i, messages.get(i).path("content").asString(""));
            }
        } else {
            values.put(PROMPT, ai.config().path("prompt").asString(""));
        }
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.set("values", values);
        nodes.add(new NodeDefinition(renderId, "output", config));
        List<EdgeDefinition> edges = new ArrayList<>();
        for (EdgeDefinition e : graph.edges()) {
            if (ancestors.contains(e.from()) && ancestors.contains(e.to())) {
                edges.add(e);
            } else if (ancestors.contains(e.from()) && e.to().equals(ai.id())) {
                edges.add(new EdgeDefinition(e.from(), renderId, e.when()));
            }
        }
        return new GraphDefinition(nodes, edges);
    }

    private static String uniqueId(GraphDefinition graph, String base) {
        Set<String> ids = new HashSet<>();
        graph.nodes().forEach(n -> ids.add(n.id()));
        String id = base;
        for (int i = 2; ids.contains(id); i++) {
            id = base + i;
        }
        return id;
    }

    private static Map<String, NodeResult> checkpoints(Map<String, Object> upstream, Set<String> ancestors) {
        if (upstream == null || upstream.isEmpty()) {
            return Map.of();
        }
        Map<String, NodeResult> checkpoints = new LinkedHashMap<>();
        List<FieldProblem> problems = new ArrayList<>();
        upstream.forEach((id, value) -> {
            if (!ancestors.contains(id)) {
                problems.add(new FieldProblem("upstream." + id, "unknown-node",
                        "'" + id + "' is not a node the ai node depends on"));
            } else if (!(value instanceof Map<?, ?> outputs)) {
                problems.add(new FieldProblem("upstream." + id, "invalid",
                        "upstream." + id + " must be the node's outputs as an object, e.g. {\"text\": \"...\"}"));
            } else {
                Map<String, Object> copy = new LinkedHashMap<>();
                outputs.forEach((k, v) -> copy.put(String.valueOf(k), v));
                checkpoints.put(id, NodeResult.of(copy));
            }
        });
        if (!problems.isEmpty()) {
            throw ApiException.invalidFields("The upstream values are invalid", problems);
        }
        return checkpoints;
    }

    private String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof String s ? s : json.writeValueAsString(value);
    }

    private static ApiException invalid(String field, String code, String message) {
        return ApiException.invalidFields("The experiment is invalid", List.of(new FieldProblem(field, code, message)));
    }
}
