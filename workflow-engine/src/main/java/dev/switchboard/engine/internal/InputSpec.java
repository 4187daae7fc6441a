package dev.switchboard.engine.internal;

import dev.switchboard.engine.InputCheck;
import dev.switchboard.engine.InputField;
import dev.switchboard.engine.ValidationProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The input node's fields and the checks a run's inputs must pass. Immutable. */
final class InputSpec {

    static final int MAX_JSON_DEPTH = 32;

    private final String nodeId;
    private final List<InputField> fields;
    private final Map<String, InputField> byName;

    InputSpec(String nodeId, List<InputField> fields) {
        this.nodeId = nodeId;
        this.fields = List.copyOf(fields);
        this.byName = new LinkedHashMap<>();
        fields.forEach(f -> byName.put(f.name(), f));
    }

    List<InputField> fields() {
        return fields;
    }

    Set<String> names() {
        return byName.keySet();
    }

    InputCheck prepare(Map<String, ?> raw) {
        Map<String, ?> inputs = raw == null ? Map.of() : raw;
        List<ValidationProblem> problems = new ArrayList<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : inputs.keySet()) {
            if (!byName.containsKey(key)) {
                problems.add(problem(key, ValidationProblem.UNKNOWN_INPUT, "'" + key + "' is not an input of this app"
                        + (byName.isEmpty() ? "; it takes no inputs." : "; its inputs are: "
                        + byName.keySet().stream().collect(Collectors.joining(", ")) + ".")));
            }
        }
        for (InputField f : fields) {
            Object v = inputs.get(f.name());
            if (v == null) {
                if (f.defaultValue() != null) {
                    values.put(f.name(), f.defaultValue());
                } else if (f.required()) {
                    problems.add(problem(f.name(), ValidationProblem.REQUIRED, "'" + f.name() + "' is required."));
                }
                continue;
            }
            Object converted = convert(f, v, problems);
            if (converted != null) {
                values.put(f.name(), converted);
            }
        }
        return new InputCheck(values, problems);
    }

    private Object convert(InputField f, Object v, List<ValidationProblem> problems) {
        return switch (f.type()) {
            case TEXT -> text(f, v, problems);
            case NUMBER -> number(f, v, problems);
            case BOOLEAN -> bool(f, v, problems);
            case JSON -> json(f, v, problems);
        };
    }

    private Object text(InputField f, Object v, List<ValidationProblem> problems) {
        String s;
        if (v instanceof String str) {
            s = str;
        } else if (v instanceof Number || v instanceof Boolean) {
            s = String.valueOf(PlainJson.normalize(v));
        } else {
            problems.add(problem(f.name(), ValidationProblem.WRONG_TYPE, "'" + f.name() + "' must be text."));
            return null;
        }
        if (f.required() && s.isBlank()) {
            problems.add(problem(f.name(), ValidationProblem.REQUIRED, "'" + f.name() + "' is required and must not be empty."));
            return null;
        }
        if (f.maxLength() != null) {
            int length = s.codePointCount(0, s.length());
            if (length > f.maxLength()) {
                problems.add(problem(f.name(), ValidationProblem.TOO_LONG, "'" + f.name() + "' is " + length
                        + " characters long; the limit is " + f.maxLength() + "."));
                return null;
            }
        }
        return s;
    }

    private Object number(InputField f, Object v, List<ValidationProblem> problems) {
        if (v instanceof Number n) {
            Object plain = PlainJson.normalize(n);
            if (plain instanceof Double d && (d.isNaN() || d.isInfinite())) {
                problems.add(problem(f.name(), ValidationProblem.WRONG_TYPE, "'" + f.name() + "' must be a finite number."));
                return null;
            }
            return plain;
        }
        if (v instanceof String s && !s.isBlank()) {
            String t = s.strip();
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException notLong) {
                try {
                    double d = Double.parseDouble(t);
                    if (!Double.isNaN(d) && !Double.isInfinite(d) && t.matches("[-+]?[0-9.eE+-]+")) {
                        return d;
                    }
                } catch (NumberFormatException notNumber) {
                    // fall through to the problem below
                }
            }
        }
        problems.add(problem(f.name(), ValidationProblem.WRONG_TYPE, "'" + f.name() + "' must be a number."));
        return null;
    }

    private Object bool(InputField f, Object v, List<ValidationProblem> problems) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes" -> {
                    return true;
                }
                case "false", "off", "no" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        problems.add(problem(f.name(), ValidationProblem.WRONG_TYPE, "'" + f.name() + "' must be true or false."));
        return null;
    }

    private Object json(InputField f, Object v, List<ValidationProblem> problems) {
        Object plain = PlainJson.normalize(v);
        if (PlainJson.depth(plain) > MAX_JSON_DEPTH) {
            problems.add(problem(f.name(), ValidationProblem.WRONG_TYPE, "'" + f.name() + "' is nested more than "
                    + MAX_JSON_DEPTH + " levels deep."));
            return null;
        }
        return plain;
    }

    private ValidationProblem problem(String field, String code, String message) {
        return new ValidationProblem(nodeId, field, code, message);
    }
}
