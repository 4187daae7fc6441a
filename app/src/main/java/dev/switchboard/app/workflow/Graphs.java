package dev.switchboard.app.workflow;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.JsonPaths;
import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.GraphValidationException;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.WorkflowEngine;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Graph JSON → engine definitions → compiled graphs. Compiled graphs are immutable and cached
 * per {@link GraphKey} (an app version, or one revision of a draft), so a graph is compiled once
 * per process however often it runs; keys never go stale because versions and draft revisions
 * never change once written.
 */
@Service
public class Graphs {

    /** Identifies one immutable graph: {@code version > 0} a published version, else draft {@code draftRevision}. */
    public record GraphKey(UUID appId, int version, int draftRevision) {
        public static GraphKey published(UUID appId, int version) {
            return new GraphKey(appId, version, 0);
        }

        public static GraphKey draft(UUID appId, int draftRevision) {
            return new GraphKey(appId, 0, draftRevision);
        }
    }

    private final WorkflowEngine engine;
    private final JsonMapper json;
    private final Cache<GraphKey, CompiledGraph> compiled;

    Graphs(WorkflowEngine engine, JsonMapper json, EngineProperties properties) {
        this.engine = engine;
        this.json = json;
        this.compiled = Caffeine.newBuilder().maximumSize(properties.graphCacheSize()).build();
    }

    /**
     * The graph as the engine sees it, after checking every problem.
     *
     * @throws ApiException 422 {@code invalid-graph} listing every problem
     */
    public GraphDefinition requireValid(JsonNode graph) {
        GraphDefinition definition = parse(graph);
        List<ValidationProblem> problems = engine.validate(definition);
        if (!problems.isEmpty()) {
            throw ApiException.invalidGraph(problems);
        }
        return definition;
    }

    /**
     * The compiled graph for {@code key}; on first use {@code graphJson} loads its JSON (empty:
     * the graph does not exist, and neither does the result).
     */
    public Optional<CompiledGraph> compiled(GraphKey key, Supplier<Optional<String>> graphJson) {
        CompiledGraph graph = compiled.getIfPresent(key);
        if (graph != null) {
            return Optional.of(graph);
        }
        Optional<String> source = graphJson.get();
        if (source.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(compiled.get(key, k -> {
            try {
                return engine.compile(GraphDefinition.fromJson(source.get()));
            } catch (GraphValidationException e) {
                // stored graphs were valid when written; a newer engine may be stricter
                throw ApiException.invalidGraph(e.problems());
            }
        }));
    }

    /** Drops every compiled graph of an app (after it was deleted). */
    public void evict(UUID appId) {
        compiled.asMap().keySet().removeIf(k -> k.appId().equals(appId));
    }

    public String toJson(JsonNode graph) {
        return json.writeValueAsString(graph);
    }

    public JsonNode fromJson(String graphJson) {
        return json.readTree(graphJson);
    }

    private GraphDefinition parse(JsonNode graph) {
        if (graph == null || !graph.isObject()) {
            throw ApiException.invalidGraph(List.of(new ValidationProblem(null, "graph", "invalid_shape",
                    "The graph must be a JSON object with 'nodes' and 'edges' lists")));
        }
        try {
            return json.treeToValue(graph, GraphDefinition.class);
        } catch (JacksonException e) {
            String path = JsonPaths.of(e);
            throw ApiException.invalidGraph(List.of(new ValidationProblem(null, path.isEmpty() ? "graph" : path,
                    "invalid_shape", "'" + (path.isEmpty() ? "graph" : path)
                    + "' has the wrong type: nodes and edges are lists of objects, a node's config is an object")));
        }
    }
}
