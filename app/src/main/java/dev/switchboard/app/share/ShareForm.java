package dev.switchboard.app.share;

import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.InputField;
import dev.switchboard.engine.NodeDefinition;
import dev.switchboard.engine.ValidationProblem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The share page's form: which fields it has (from the published version's input node), how a
 * submitted form or JSON body becomes run inputs, and how input problems become messages next to
 * their fields. Only declared inputs ever pass: anything else is refused ({@link Refusal.NotAccepted}).
 *
 * <p>Besides the engine's field keys ({@code name, type, required, default, maxLength, label}),
 * an input field's config may carry page hints: {@code help} (or {@code description}),
 * {@code placeholder} and {@code multiline} (text fields; default: a text area unless
 * {@code maxLength} is at most {@value #SINGLE_LINE_MAX}).
 */
final class ShareForm {

    static final int SINGLE_LINE_MAX = 120;

    /** A field with its page hints. */
    record Spec(InputField field, String label, String help, String placeholder, boolean multiline) {
        String name() {
            return field.name();
        }
    }

    /**
     * A submission turned into run inputs.
     *
     * @param inputs what goes to the run (empty optional fields left out, so defaults apply)
     * @param echo the values as typed, to re-show the form
     * @param errors field name → message for problems found before the engine's check (invalid JSON)
     */
    record Submission(Map<String, Object> inputs, Map<String, String> echo, Map<String, String> errors) {
    }

    private final List<Spec> specs;
    private final Map<String, Spec> byName;

    private ShareForm(List<Spec> specs) {
        this.specs = List.copyOf(specs);
        this.byName = new LinkedHashMap<>();
        specs.forEach(s -> byName.put(s.name(), s));
    }

    static ShareForm of(CompiledGraph graph) {
        Map<String, JsonNode> hints = new LinkedHashMap<>();
        for (NodeDefinition node : graph.definition().nodes()) {
            if ("input".equals(node.type()) && node.config().get("fields") instanceof JsonNode fields && fields.isArray()) {
                fields.forEach(f -> {
                    if (f.isObject() && f.get("name") != null && f.get("name").isString()) {
                        hints.put(f.get("name").asString(), f);
                    }
                });
            }
        }
        List<Spec> specs = new ArrayList<>();
        for (InputField field : graph.inputFields()) {
            JsonNode hint = hints.get(field.name());
            String help = text(hint, "help");
            if (help == null) {
                help = text(hint, "description");
            }
            boolean multiline = field.maxLength() == null || field.maxLength() > SINGLE_LINE_MAX;
            if (hint != null && hint.get("multiline") != null && hint.get("multiline").isBoolean()) {
                multiline = hint.get("multiline").asBoolean();
            }
            String label = field.label() != null && !field.label().isBlank() ? field.label().strip() : humanize(field.name());
            specs.add(new Spec(field, label, help, text(hint, "placeholder"), multiline));
        }
        return new ShareForm(specs);
    }

    List<Spec> specs() {
        return specs;
    }

    /** Initial values: each field's default, as the form shows it. */
    Map<String, String> defaults(JsonMapper json) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Spec s : specs) {
            Object d = s.field().defaultValue();
            if (d != null) {
                values.put(s.name(), switch (s.field().type()) {
                    case JSON -> json.writerWithDefaultPrettyPrinter().writeValueAsString(d);
                    case TEXT, NUMBER, BOOLEAN -> String.valueOf(d);
                });
            }
        }
        return values;
    }

    /**
     * An {@code application/x-www-form-urlencoded} body. A checkbox that is not sent means false;
     * an empty optional field is left out; a JSON field must parse.
     *
     * @throws Refusal.Refused (not accepted) for a parameter that is no input, or one sent twice
     */
    Submission fromForm(String body, JsonMapper json) {
        Map<String, String> params = new LinkedHashMap<>();
        List<FieldProblem> refused = new ArrayList<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Refusal.NotAccepted("The form data is malformed", List.of()).toException();
            }
            if (!byName.containsKey(name)) {
                refused.add(new FieldProblem(GraphSvg.truncate(name, 64), "not-accepted",
                        "'" + GraphSvg.truncate(name, 64) + "' is not an input of this app"));
            } else if (params.put(name, value) != null) {
                refused.add(new FieldProblem(name, "duplicate", "'" + name + "' was sent more than once"));
            }
        }
        if (!refused.isEmpty()) {
            throw new Refusal.NotAccepted("The form sent something this app does not accept", refused).toException();
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        Map<String, String> echo = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (Spec s : specs) {
            String raw = params.get(s.name());
            switch (s.field().type()) {
                case BOOLEAN -> {
                    boolean on = raw != null && !raw.isEmpty() && !raw.equalsIgnoreCase("false") && !raw.equalsIgnoreCase("off");
                    inputs.put(s.name(), on);
                    echo.put(s.name(), Boolean.toString(on));
                }
                case TEXT -> {
                    if (raw != null) {
                        String normalised = raw.replace("\r\n", "\n"); // browsers send CRLF; users typed LF
                        echo.put(s.name(), normalised);
                        if (!normalised.isEmpty() || s.field().required()) {
                            inputs.put(s.name(), normalised);
                        }
                    }
                }
                case NUMBER -> {
                    if (raw != null && !raw.isBlank()) {
                        inputs.put(s.name(), raw.strip());
                        echo.put(s.name(), raw);
                    }
                }
                case JSON -> {
                    if (raw != null && !raw.isBlank()) {
                        echo.put(s.name(), raw);
                        try {
                            inputs.put(s.name(), json.readValue(raw, Object.class));
                        } catch (JacksonException e) {
                            errors.put(s.name(), "This is not valid JSON (" + GraphSvg.truncate(
                                    e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage(), 80) + ").");
                        }
                    }
                }
            }
        }
        return new Submission(inputs, echo, errors);
    }

    /**
     * A JSON body: exactly {@code {"inputs": {...}}}. Any other member (graph, version, model,
     * config...) is refused, never ignored.
     */
    static Map<String, Object> fromJson(JsonNode body, JsonMapper json) {
        if (body == null || !body.isObject()) {
            throw new Refusal.NotAccepted("The body must be a JSON object: {\"inputs\": {...}}", List.of()).toException();
        }
        List<FieldProblem> refused = new ArrayList<>();
        for (String name : body.propertyNames()) {
            if (!name.equals("inputs")) {
                refused.add(new FieldProblem(GraphSvg.truncate(name, 64), "not-accepted", "'" + GraphSvg.truncate(name, 64)
                        + "' is not accepted: a share link runs the app's published version and takes only {\"inputs\": {...}}"));
            }
        }
        JsonNode inputs = body.get("inputs");
        if (inputs != null && !inputs.isNull() && !inputs.isObject()) {
            refused.add(new FieldProblem("inputs", "invalid", "inputs must be an object of input values"));
        }
        if (!refused.isEmpty()) {
            throw new Refusal.NotAccepted("The request carries more than the app's inputs", refused).toException();
        }
        if (inputs == null || inputs.isNull()) {
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> values = json.treeToValue(inputs, LinkedHashMap.class);
        return values;
    }

    /** The engine's input problems as one plain message per field (the first problem of each). */
    Map<String, String> messages(List<ValidationProblem> problems) {
        Map<String, String> messages = new LinkedHashMap<>();
        for (ValidationProblem p : problems) {
            Spec s = p.field() == null ? null : byName.get(p.field());
            if (s != null) {
                messages.putIfAbsent(s.name(), message(s, p));
            }
        }
        return messages;
    }

    private static String message(Spec s, ValidationProblem p) {
        return switch (p.code()) {
            case ValidationProblem.REQUIRED -> "Please fill in " + s.label() + ".";
            case ValidationProblem.TOO_LONG -> "This is too long: " + s.label() + " takes at most "
                    + s.field().maxLength() + " characters.";
            case ValidationProblem.WRONG_TYPE -> switch (s.field().type()) {
                case NUMBER -> "Please enter a number.";
                case BOOLEAN -> "Please choose yes or no.";
                case JSON -> "Please enter valid JSON.";
                case TEXT -> "Please enter text.";
            };
            default -> p.message();
        };
    }

    static String humanize(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ').strip();
        if (spaced.isEmpty()) {
            return name;
        }
        String lower = spaced.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    private static String text(JsonNode hint, String key) {
        if (hint == null || hint.get(key) == null || !hint.get(key).isString() || hint.get(key).asString().isBlank()) {
            return null;
        }
        return hint.get(key).asString().strip();
    }
}
