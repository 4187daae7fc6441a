package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.json.JsonMapper;

/**
 * A workflow graph exactly as users send it: {@code {"nodes": [...], "edges": [...]}}.
 *
 * <p>This is raw, unvalidated input: ids may be blank or duplicated, edges may dangle. Call
 * {@link WorkflowEngine#validate} or {@link WorkflowEngine#compile} to find every problem at once.
 * Missing lists become empty lists; unknown JSON properties are ignored so callers may add fields.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GraphDefinition(List<NodeDefinition> nodes, List<EdgeDefinition> edges) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public GraphDefinition {
        nodes = nodes == null ? List.of() : List.copyOf(nodes.stream().map(n -> Objects.requireNonNullElseGet(n, () -> new NodeDefinition(null, null, null))).toList());
        edges = edges == null ? List.of() : List.copyOf(edges.stream().map(e -> Objects.requireNonNullElseGet(e, () -> new EdgeDefinition(null, null, null))).toList());
    }

    /** Parses the graph JSON; throws Jackson's {@code JacksonException} on malformed JSON. */
    public static GraphDefinition fromJson(String json) {
        return JSON.readValue(json, GraphDefinition.class);
    }

    /** Serialises to the graph JSON shape (edges without a {@code when} omit it). */
    public String toJson() {
        return JSON.writeValueAsString(this);
    }
}
