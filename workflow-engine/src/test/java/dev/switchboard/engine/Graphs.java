package dev.switchboard.engine;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Small builder for test graphs: {@code Graphs.graph().node("in", "input", "{...}").edge("in", "out").build()}. */
final class Graphs {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<NodeDefinition> nodes = new ArrayList<>();
    private final List<EdgeDefinition> edges = new ArrayList<>();

    static Graphs graph() {
        return new Graphs();
    }

    static ObjectNode json(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    Graphs node(String id, String type, String configJson) {
        nodes.add(new NodeDefinition(id, type, json(configJson)));
        return this;
    }

    Graphs input(String id, String... textFields) {
        StringBuilder sb = new StringBuilder("{\"fields\": [");
        for (int i = 0; i < textFields.length; i++) {
            sb.append(i > 0 ? "," : "").append("{\"name\": \"").append(textFields[i]).append("\", \"type\": \"text\"}");
        }
        return node(id, "input", sb.append("]}").toString());
    }

    Graphs transform(String id, String template) {
        ObjectNode c = JSON.createObjectNode();
        c.put("template", template);
        nodes.add(new NodeDefinition(id, "transform", c));
        return this;
    }

    Graphs output(String id, String name, String template) {
        ObjectNode c = JSON.createObjectNode();
        c.putObject("values").put(name, template);
        nodes.add(new NodeDefinition(id, "output", c));
        return this;
    }

    Graphs edge(String from, String to) {
        edges.add(EdgeDefinition.of(from, to));
        return this;
    }

    Graphs edge(String from, String to, String when) {
        edges.add(new EdgeDefinition(from, to, when));
        return this;
    }

    GraphDefinition build() {
        return new GraphDefinition(nodes, edges);
    }
}
