package dev.switchboard.engine.internal;

import dev.switchboard.engine.InputCheck;
import dev.switchboard.engine.InputField;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code input}: {@code fields: [{name, type: text|number|boolean|json, required, default,
 * maxLength, label}]}; exposes each field by name. Exactly one per graph.
 */
final class InputKind implements NodeKind {

    static final String TYPE = "input";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");
    private static final int MAX_FIELDS = 100;

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        JsonNode fields = config.get("fields");
        if (fields == null || !fields.isArray()) {
            return Optional.of(Set.of());
        }
        Set<String> names = new LinkedHashSet<>();
        fields.forEach(f -> {
            if (f.isObject() && f.path("name").isString()) {
                names.add(f.get("name").asString());
            }
        });
        return Optional.of(names);
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        JsonNode fields = c.config().get("fields");
        List<InputField> parsed = new ArrayList<>();
        if (fields != null && !fields.isNull()) {
            if (!fields.isArray()) {
                c.problem("fields", ValidationProblem.INVALID_CONFIG, "'fields' must be a list of {name, type} objects.");
            } else if (fields.size() > MAX_FIELDS) {
                c.problem("fields", ValidationProblem.TOO_LARGE, "An input node may have at most " + MAX_FIELDS + " fields.");
            } else {
                Set<String> names = new LinkedHashSet<>();
                for (int i = 0; i < fields.size(); i++) {
                    InputField f = field(c, "fields[" + i + "]", fields.get(i), names);
                    if (f != null) {
                        parsed.add(f);
                    }
                }
            }
        }
        return new Executor(new InputSpec(c.nodeId(), parsed));
    }

    private static InputField field(NodeCompiler c, String at, JsonNode f, Set<String> names) {
        if (!f.isObject()) {
            c.problem(at, ValidationProblem.INVALID_CONFIG, "Each input field must be an object like {\"name\": \"text\", \"type\": \"text\"}.");
            return null;
        }
        JsonNode nameNode = f.get("name");
        if (nameNode == null || !nameNode.isString() || nameNode.asString().isBlank()) {
            c.problem(at + ".name", ValidationProblem.MISSING_CONFIG, "Every input field needs a name.");
            return null;
        }
        String name = nameNode.asString();
        boolean ok = true;
        if (!NAME.matcher(name).matches()) {
            c.problem(at + ".name", ValidationProblem.INVALID_CONFIG, "Input field name '" + name
                    + "' must start with a letter or '_' and contain only letters, digits, '_' or '-'.");
            ok = false;
        } else if (!names.add(name)) {
            c.problem(at + ".name", ValidationProblem.INVALID_CONFIG, "Two input fields are named '" + name + "'.");
            ok = false;
        }
        InputField.Type type = InputField.Type.TEXT;
        JsonNode typeNode = f.get("type");
        if (typeNode != null && !typeNode.isNull()) {
            String t = typeNode.isString() ? typeNode.asString().toLowerCase(Locale.ROOT) : "";
            switch (t) {
                case "text", "string" -> type = InputField.Type.TEXT;
                case "number" -> type = InputField.Type.NUMBER;
                case "boolean" -> type = InputField.Type.BOOLEAN;
                case "json" -> type = InputField.Type.JSON;
                default -> {
                    c.problem(at + ".type", ValidationProblem.INVALID_CONFIG, "Input field '" + name
                            + "' has type '" + typeNode.asString() + "'; use text, number, boolean or json.");
                    ok = false;
                }
            }
        }
        boolean required = false;
        JsonNode req = f.get("required");
        if (req != null && !req.isNull()) {
            if (!req.isBoolean()) {
                c.problem(at + ".required", ValidationProblem.INVALID_CONFIG, "'required' must be true or false.");
                ok = false;
            } else {
                required = req.asBoolean();
            }
        }
        Integer maxLength = null;
        JsonNode ml = f.get("maxLength");
        if (ml != null && !ml.isNull()) {
            if (!ml.isIntegralNumber() || ml.asLong() < 1 || ml.asLong() > 10_000_000) {
                c.problem(at + ".maxLength", ValidationProblem.INVALID_CONFIG, "'maxLength' must be a whole number from 1 to 10000000.");
                ok = false;
            } else if (type != InputField.Type.TEXT) {
                c.problem(at + ".maxLength", ValidationProblem.INVALID_CONFIG, "'maxLength' applies to text fields only.");
                ok = false;
            } else {
                maxLength = ml.asInt();
            }
        }
        String label = f.path("label").isString() ? f.get("label").asString() : null;
        if (!ok) {
            return null;
        }
        Object def = PlainJson.toPlain(f.get("default"));
        InputField field = new InputField(name, type, required, null, maxLength, label);
        if (def != null) {
            InputSpec probe = new InputSpec(c.nodeId(), List.of(field));
            InputCheck check = probe.prepare(java.util.Map.of(name, def));
            if (!check.valid()) {
                c.problem(at + ".default", ValidationProblem.INVALID_CONFIG, "The default of '" + name + "' doesn't fit its field: "
                        + check.problems().stream().map(ValidationProblem::message).collect(Collectors.joining(" ")));
                return null;
            }
            field = new InputField(name, type, required, check.values().get(name), maxLength, label);
        }
        return field;
    }

    /** Checks the run's inputs and exposes them. */
    record Executor(InputSpec spec) implements NodeExecutor {
        @Override
        public NodeResult execute(NodeContext ctx) {
            InputCheck check = spec.prepare(ctx.inputs());
            if (!check.valid()) {
                return NodeResult.fail("invalid_input", check.problems().stream().map(ValidationProblem::message)
                        .collect(Collectors.joining(" ")), false);
            }
            return NodeResult.of(check.values());
        }
    }
}
