package dev.switchboard.app.testing;

import dev.switchboard.app.web.FieldProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a test case's {@code assertions} JSON into {@link Assertion}s, collecting every problem
 * (a field path like {@code assertions[2].pattern}, a code and a message) instead of stopping at
 * the first. The JSON, one object per assertion:
 *
 * <pre>
 * {"type": "equals",     "output"?, "value": any JSON, "ignoreCase"?: false, "trim"?: true, "not"?: false}
 * {"type": "contains",   "output"?, "value": "text", "ignoreCase"?: false, "not"?: false}
 * {"type": "regex",      "output"?, "pattern": "^(yes|no)$", "flags"?: "ims", "not"?: false}
 * {"type": "jsonSchema", "output"?, "schema": {...}}
 * {"type": "range",      "output"?, "min"?: 0, "max"?: 1}
 * {"type": "maxLatency", "ms": 2000}
 * {"type": "maxCost",    "usd": 0.01}
 * {"type": "judge",      "output"?, "rubric": "...", "model"?: "provider/model", "minScore"?: 0.7}
 * {"type": "status",     "equals": "blocked"}
 * </pre>
 *
 * Unknown types and keys are refused (a typo never silently disables a check). Thread-safe.
 */
final class AssertionParser {

    static final int MAX_ASSERTIONS = 50;
    static final int MAX_PATTERN = 1_000;
    static final int MAX_RUBRIC = 4_000;
    static final int MAX_TEXT = 100_000;

    private static final Pattern MODEL_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/\\S+");
    private static final Set<String> STATUSES = Set.of("succeeded", "failed", "blocked", "timed_out", "cancelled",
            "waiting_review", "rejected");
    private static final Set<String> OUTPUT_KINDS = Set.of("equals", "contains", "regex", "jsonSchema", "range", "judge");
    private static final Map<String, Set<String>> KEYS = Map.of(
            "equals", Set.of("value", "ignoreCase", "trim", "not"),
            "contains", Set.of("value", "ignoreCase", "not"),
            "regex", Set.of("pattern", "flags", "not"),
            "jsonSchema", Set.of("schema"),
            "range", Set.of("min", "max"),
            "maxLatency", Set.of("ms"),
            "maxCost", Set.of("usd"),
            "judge", Set.of("rubric", "model", "minScore"),
            "status", Set.of("equals"));
    static final List<String> TYPES = List.of("equals", "contains", "regex", "jsonSchema", "range", "maxLatency",
            "maxCost", "judge", "status");

    private final JsonSchemas schemas;

    AssertionParser(JsonSchemas schemas) {
        this.schemas = schemas;
    }

    /**
     * @param knownOutputs output names the app can produce (unknown names are refused), or null
     *     when they cannot be known
     * @param defaultJudgeModel the model of judge assertions that name none, or null
     * @param problems receives every problem; the result is only meaningful when none were added
     */
    List<Assertion> parse(JsonNode assertions, Set<String> knownOutputs, String defaultJudgeModel,
            List<FieldProblem> problems) {
        if (assertions == null || assertions.isNull()) {
            problems.add(new FieldProblem("assertions", "required", "assertions is required: a list of checks on the outputs"));
            return List.of();
        }
        if (!assertions.isArray()) {
            problems.add(new FieldProblem("assertions", "invalid", "assertions must be a list of objects"));
            return List.of();
        }
        if (assertions.isEmpty() || assertions.size() > MAX_ASSERTIONS) {
            problems.add(new FieldProblem("assertions", "out-of-range",
                    "a test case needs 1 to " + MAX_ASSERTIONS + " assertions"));
            return List.of();
        }
        List<Assertion> out = new ArrayList<>(assertions.size());
        for (int i = 0; i < assertions.size(); i++) {
            Assertion a = parseOne(assertions.get(i), "assertions[" + i + "]", knownOutputs, defaultJudgeModel, problems);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private Assertion parseOne(JsonNode node, String at, Set<String> knownOutputs, String defaultJudgeModel,
            List<FieldProblem> problems) {
        if (node == null || !node.isObject()) {
            problems.add(new FieldProblem(at, "invalid", at + " must be an object with a \"type\""));
            return null;
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isString() || !KEYS.containsKey(typeNode.asString())) {
            problems.add(new FieldProblem(at + ".type", typeNode == null ? "required" : "unknown-type",
                    at + ".type must be one of " + String.join(", ", TYPES)));
            return null;
        }
        String type = typeNode.asString();
        Reader r = new Reader(node, at, problems);
        for (String key : node.propertyNames()) {
            boolean allowed = key.equals("type") || KEYS.get(type).contains(key)
                    || (key.equals("output") && OUTPUT_KINDS.contains(type));
            if (!allowed) {
                problems.add(new FieldProblem(at + "." + key, "unknown-key", "a " + type + " assertion has no '" + key
                        + "'; its keys are: " + String.join(", ", keysOf(type))));
            }
        }
        String output = OUTPUT_KINDS.contains(type) ? r.output(knownOutputs) : null;
        int before = problems.size();
        Assertion a = switch (type) {
            case "equals" -> new Assertion.Equals(output, r.required("value"), r.bool("ignoreCase", false),
                    r.bool("trim", true), r.bool("not", false));
            case "contains" -> new Assertion.Contains(output, r.text("value", MAX_TEXT, true), r.bool("ignoreCase", false),
                    r.bool("not", false));
            case "regex" -> new Assertion.Regex(output, r.pattern(), r.bool("not", false));
            case "jsonSchema" -> new Assertion.JsonSchema(output, r.schema(schemas));
            case "range" -> r.range(output);
            case "maxLatency" -> new Assertion.MaxLatency(r.positive("ms", true).doubleValue());
            case "maxCost" -> new Assertion.MaxCost(r.positive("usd", false));
            case "judge" -> new Assertion.Judge(output, r.text("rubric", MAX_RUBRIC, false), r.judgeModel(defaultJudgeModel),
                    r.score("minScore"));
            case "status" -> new Assertion.Status(r.status());
            default -> throw new IllegalStateException("type checked above: " + type);
        };
        return problems.size() == before ? a : null;
    }

    private static List<String> keysOf(String type) {
        List<String> keys = new ArrayList<>(List.of("type"));
        if (OUTPUT_KINDS.contains(type)) {
            keys.add("output");
        }
        keys.addAll(KEYS.get(type).stream().sorted().toList());
        return keys;
    }

    /** Reads the keys of one assertion object, adding a problem for each bad one. */
    private record Reader(JsonNode node, String at, List<FieldProblem> problems) {

        private void problem(String key, String code, String message) {
            problems.add(new FieldProblem(at + "." + key, code, message));
        }

        String output(Set<String> knownOutputs) {
            JsonNode o = node.get("output");
            if (o == null || o.isNull()) {
                return null;
            }
            if (!o.isString() || o.asString().isBlank()) {
                problem("output", "invalid", "output must be the name of one of the app's outputs");
                return null;
            }
            String name = o.asString();
            if (knownOutputs != null && !knownOutputs.contains(name)) {
                problem("output", "unknown-output", "the app has no output '" + name + "'"
                        + (knownOutputs.isEmpty() ? "" : "; its outputs are: " + String.join(", ", knownOutputs)));
            }
            return name;
        }

        JsonNode required(String key) {
            JsonNode v = node.get(key);
            if (v == null) {
                problem(key, "required", key + " is required");
            }
            return v;
        }

        boolean bool(String key, boolean fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                problem(key, "invalid", key + " must be true or false");
                return fallback;
            }
            return v.booleanValue();
        }

        String text(String key, int maxLength, boolean allowEmpty) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                problem(key, "required", key + " is required");
                return null;
            }
            if (!v.isString() || (!allowEmpty && v.asString().isBlank())) {
                problem(key, "invalid", key + " must be " + (allowEmpty ? "text" : "non-blank text"));
                return null;
            }
            if (v.asString().length() > maxLength) {
                problem(key, "out-of-range", key + " must be at most " + maxLength + " characters");
                return null;
            }
            return v.asString();
        }

        Pattern pattern() {
            String source = text("pattern", MAX_PATTERN, false);
            JsonNode f = node.get("flags");
            int flags = 0;
            if (f != null && !f.isNull()) {
                if (!f.isString() || !f.asString().matches("[ims]*")) {
                    problem("flags", "invalid", "flags may contain i (ignore case), m (multi-line) and s (dot matches newlines)");
                } else {
                    String s = f.asString();
                    flags |= s.contains("i") ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
                    flags |= s.contains("m") ? Pattern.MULTILINE : 0;
                    flags |= s.contains("s") ? Pattern.DOTALL : 0;
                }
            }
            if (source == null) {
                return null;
            }
            try {
                return Pattern.compile(source, flags);
            } catch (PatternSyntaxException e) {
                problem("pattern", "invalid-regex", "pattern is not a valid regular expression: "
                        + e.getDescription() + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
                return null;
            }
        }

        com.networknt.schema.Schema schema(JsonSchemas schemas) {
            JsonNode s = required("schema");
            if (s == null) {
                return null;
            }
            JsonSchemas.Compiled compiled = schemas.compile(s);
            if (!compiled.problems().isEmpty()) {
                problem("schema", "invalid-schema", "schema is not a valid JSON Schema: "
                        + String.join("; ", compiled.problems()));
            }
            return compiled.schema();
        }

        BigDecimal number(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isNumber()) {
                problem(key, "invalid", key + " must be a number");
                return null;
            }
            return v.decimalValue();
        }

        Assertion range(String output) {
            BigDecimal min = number("min");
            BigDecimal max = number("max");
            if (min == null && max == null && !node.has("min") && !node.has("max")) {
                problem("min", "required", "a range needs min, max or both");
            } else if (min != null && max != null && min.compareTo(max) > 0) {
                problem("max", "out-of-range", "max must be >= min");
            }
            return new Assertion.Range(output, min, max);
        }

        BigDecimal positive(String key, boolean strictlyPositive) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                problem(key, "required", key + " is required");
                return BigDecimal.ZERO;
            }
            if (!v.isNumber() || v.decimalValue().signum() < (strictlyPositive ? 1 : 0)) {
                problem(key, "out-of-range", key + " must be a number " + (strictlyPositive ? "> 0" : ">= 0"));
                return BigDecimal.ZERO;
            }
            return v.decimalValue();
        }

        Double score(String key) {
            BigDecimal v = number(key);
            if (v == null) {
                return null;
            }
            if (v.signum() < 0 || v.compareTo(BigDecimal.ONE) > 0) {
                problem(key, "out-of-range", key + " must be between 0 and 1");
                return null;
            }
            return v.doubleValue();
        }

        String judgeModel(String defaultModel) {
            JsonNode m = node.get("model");
            if (m == null || m.isNull()) {
                if (defaultModel == null) {
                    problem("model", "required", "model is required (\"provider/model\"): no default judge model is "
                            + "configured (switchboard.tests.judge-model)");
                }
                return defaultModel;
            }
            if (!m.isString() || !MODEL_REF.matcher(m.asString()).matches() || m.asString().length() > 200) {
                problem("model", "invalid", "model must be \"provider/model\", e.g. \"openai/gpt-4o-mini\"");
                return null;
            }
            return m.asString();
        }

        String status() {
            String s = text("equals", 40, false);
            if (s != null && !STATUSES.contains(s.toLowerCase(Locale.ROOT))) {
                problem("equals", "invalid", "equals must be one of " + String.join(", ", STATUSES.stream().sorted().toList()));
                return null;
            }
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        }
    }
}
