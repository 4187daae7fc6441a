package dev.switchboard.app.experiments;

import dev.switchboard.app.web.FieldProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * One variant of an experiment: a model ref (or fallback chain) and sampling parameters. Parsed
 * from JSON with every problem collected under its field path.
 *
 * @param models fallback chain of {@code provider/model} refs (usually one)
 */
record VariantSpec(List<String> models, Params params) {

    /** Sampling parameters; null = the node's value, else the provider's default. */
    record Params(Integer maxTokens, Double temperature, Double topP, Integer topK, List<String> stop, Long seed) {

        static final Params NONE = new Params(null, null, null, null, null, null);
        static final Set<String> KEYS = Set.of("maxTokens", "temperature", "topP", "topK", "stop", "seed");

        /** These parameters, with {@code override}'s where it sets them. */
        Params with(Params override) {
            return new Params(override.maxTokens != null ? override.maxTokens : maxTokens,
                    override.temperature != null ? override.temperature : temperature,
                    override.topP != null ? override.topP : topP,
                    override.topK != null ? override.topK : topK,
                    override.stop != null ? override.stop : stop,
                    override.seed != null ? override.seed : seed);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            put(m, "maxTokens", maxTokens);
            put(m, "temperature", temperature);
            put(m, "topP", topP);
            put(m, "topK", topK);
            put(m, "stop", stop);
            put(m, "seed", seed);
            return m;
        }

        private static void put(Map<String, Object> m, String key, Object value) {
            if (value != null) {
                m.put(key, value);
            }
        }

        /** Reads the parameter keys of {@code node}; {@code extraKeys} are allowed and ignored here. */
        static Params parse(JsonNode node, String at, Set<String> extraKeys, List<FieldProblem> problems) {
            if (node == null || node.isNull()) {
                return NONE;
            }
            if (!node.isObject()) {
                problems.add(new FieldProblem(at, "invalid", at + " must be an object"));
                return NONE;
            }
            for (String key : node.propertyNames()) {
                if (!KEYS.contains(key) && !extraKeys.contains(key)) {
                    problems.add(new FieldProblem(at + "." + key, "unknown-key", "unknown parameter '" + key
                            + "'; parameters are maxTokens, temperature, topP, topK, stop, seed"));
                }
            }
            Double temperature = number(node, at, "temperature", 0, 2, problems);
            Double topP = number(node, at, "topP", 0, 1, problems);
            Double maxTokens = number(node, at, "maxTokens", 1, 1_000_000, problems);
            Double topK = number(node, at, "topK", 1, 1_000_000, problems);
            Long seed = null;
            JsonNode s = node.get("seed");
            if (s != null && !s.isNull()) {
                if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                    problems.add(new FieldProblem(at + ".seed", "invalid", "seed must be an integer"));
                } else {
                    seed = s.longValue();
                }
            }
            List<String> stop = null;
            JsonNode st = node.get("stop");
            if (st != null && !st.isNull()) {
                stop = new ArrayList<>();
                if (st.isString()) {
                    stop.add(st.asString());
                } else if (st.isArray() && st.size() <= 16) {
                    for (JsonNode e : st) {
                        if (!e.isString() || e.asString().isEmpty()) {
                            problems.add(new FieldProblem(at + ".stop", "invalid", "stop sequences must be non-empty text"));
                            break;
                        }
                        stop.add(e.asString());
                    }
                } else {
                    problems.add(new FieldProblem(at + ".stop", "invalid", "stop must be text or a list of at most 16"));
                }
            }
            return new Params(maxTokens == null ? null : maxTokens.intValue(), temperature, topP,
                    topK == null ? null : topK.intValue(), stop, seed);
        }

        private static Double number(JsonNode node, String at, String key, double min, double max,
                List<FieldProblem> problems) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return null;
            }
            boolean integral = key.equals("maxTokens") || key.equals("topK");
            if (!v.isNumber() || (integral && !v.isIntegralNumber()) || v.asDouble() < min || v.asDouble() > max) {
                problems.add(new FieldProblem(at + "." + key, "out-of-range", key + " must be " + (integral ? "an integer" : "a number")
                        + " from " + (integral ? Long.toString((long) min) : Double.toString(min)) + " to "
                        + (integral ? Long.toString((long) max) : Double.toString(max))));
                return null;
            }
            return v.asDouble();
        }
    }

    private static final Pattern MODEL_REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/\\S+");

    /** A model ref or a list of them (fallback chain); null with a problem added when invalid. */
    static List<String> models(JsonNode node, String at, List<FieldProblem> problems) {
        List<String> refs = new ArrayList<>();
        if (node != null && node.isString()) {
            refs.add(node.asString());
        } else if (node != null && node.isArray() && !node.isEmpty() && node.size() <= 8) {
            node.forEach(e -> refs.add(e.isString() ? e.asString() : ""));
        }
        if (refs.isEmpty() || refs.stream().anyMatch(r -> r.length() > 200 || !MODEL_REF.matcher(r).matches())) {
            problems.add(new FieldProblem(at, node == null || node.isNull() ? "required" : "invalid",
                    at + " must be \"provider/model\" (e.g. \"openai/gpt-4o-mini\") or a list of 1 to 8 of them"));
            return null;
        }
        return List.copyOf(refs);
    }
}
