package dev.switchboard.engine.internal;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code output}: {@code values: {name: template}} become the run's outputs. A string is a
 * template; a value that is exactly one {@code {{ref}}} keeps the referenced value's JSON type;
 * any other JSON value (number, object...) is passed through unchanged.
 */
final class OutputKind implements NodeKind {

    static final String TYPE = "output";
    private static final int MAX_VALUES = 100;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        JsonNode values = config.get("values");
        Set<String> names = new LinkedHashSet<>();
        if (values != null && values.isObject()) {
            names.addAll(values.propertyNames());
        }
        return Optional.of(names);
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        JsonNode values = c.config().get("values");
        if (values == null || values.isNull()) {
            c.problem("values", ValidationProblem.MISSING_CONFIG, "An output node needs 'values', e.g. {\"answer\": \"{{ai.text}}\"}.");
            return null;
        }
        if (!values.isObject() || values.isEmpty() || values.size() > MAX_VALUES) {
            c.problem("values", ValidationProblem.INVALID_CONFIG, "'values' must be an object with 1 to " + MAX_VALUES
                    + " entries, e.g. {\"answer\": \"{{ai.text}}\"}.");
            return null;
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : values.properties()) {
            if (e.getKey().isBlank()) {
                c.problem("values", ValidationProblem.INVALID_CONFIG, "Output value names must not be empty.");
                continue;
            }
            if (e.getValue().isString()) {
                entries.add(new Entry(e.getKey(), c.template("values." + e.getKey(), e.getValue().asString()), null));
            } else {
                entries.add(new Entry(e.getKey(), null, PlainJson.toPlain(e.getValue())));
            }
        }
        return new Executor(List.copyOf(entries));
    }

    private record Entry(String name, Template template, Object constant) {
    }

    /** Produces the values; {@link #names()} lets the compiled graph list output names. */
    record Executor(List<Entry> entries) implements NodeExecutor {

        List<String> names() {
            return entries.stream().map(Entry::name).toList();
        }

        @Override
        public NodeResult execute(NodeContext ctx) {
            Map<String, Object> out = LinkedHashMap.newLinkedHashMap(entries.size());
            for (Entry e : entries) {
                out.put(e.name(), e.template() == null ? e.constant() : ctx.value(e.template()));
            }
            return NodeResult.of(out);
        }
    }
}
