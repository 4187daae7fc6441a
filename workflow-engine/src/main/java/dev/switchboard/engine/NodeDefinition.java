package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One node of a graph: {@code {"id": "ai", "type": "ai", "config": {...}}}. A missing config
 * becomes an empty object. Values are not validated here (see {@link WorkflowEngine#validate}).
 * The config object is mutable Jackson state: the engine deep-copies it when compiling, so later
 * changes to it never affect a {@link CompiledGraph}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeDefinition(String id, String type, ObjectNode config) {

    public NodeDefinition {
        if (config == null) {
            config = JsonNodeFactory.instance.objectNode();
        }
    }
}
