package dev.switchboard.app.testing;

import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.app.testing.TestViews.AssertionResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a finished run against a case's assertions. Every assertion is evaluated (not just up to
 * the first failure), each with a message a user can act on. Thread-safe.
 */
@Component
class AssertionEvaluator {

    /** What a run produced, as the assertions see it. */
    record Observation(String status, Map<String, Object> outputs, List<String> outputNames, Double latencyMs,
            UsageView usage) {
    }

    /** Whose run it was, for the judge's model calls (budgets, logs); {@code judgeSpent} is told each verdict's usage. */
    record Scope(UUID workspaceId, UUID appId, UUID testRunId, Consumer<TestJudge.Verdict> judgeSpent) {
    }

    private static final int QUOTE = 200;

    private final JsonMapper json;
    private final TestJudge judge;

    AssertionEvaluator(JsonMapper json, TestJudge judge) {
        this.json = json;
        this.judge = judge;
    }

    List<AssertionResult> evaluate(List<Assertion> assertions, Observation run, Scope scope) {
        List<AssertionResult> results = new ArrayList<>(assertions.size());
        for (Assertion a : assertions) {
            results.add(evaluate(a, run, scope));
        }
        return results;
    }

    private AssertionResult evaluate(Assertion a, Observation run, Scope scope) {
        return switch (a) {
            case Assertion.MaxLatency m -> maxLatency(m, run);
            case Assertion.MaxCost m -> maxCost(m, run);
            case Assertion.Status s -> result(a, null, run.status().equals(s.status()),
                    "the run ended " + run.status() + (run.status().equals(s.status()) ? "" : ", expected " + s.status()));
            case Assertion.Equals e -> onOutput(e, run, (output, value) -> equalsCheck(e, output, value));
            case Assertion.Contains c -> onOutput(c, run, (output, value) -> contains(c, output, value));
            case Assertion.Regex r -> onOutput(r, run, (output, value) -> regex(r, output, value));
            case Assertion.JsonSchema s -> onOutput(s, run, (output, value) -> schema(s, output, value));
            case Assertion.Range r -> onOutput(r, run, (output, value) -> range(r, output, value));
            case Assertion.Judge j -> onOutput(j, run, (output, value) -> judge(j, output, value, scope));
        };
    }

    /** Applies {@code check} to the assertion's output, or fails when the run did not produce it. */
    private static AssertionResult onOutput(Assertion a, Observation run, BiFunction<String, Object, AssertionResult> check) {
        String output = outputName(a.output(), run);
        if (output == null || !run.outputs().containsKey(output)) {
            return result(a, output, false, "the run produced no output " + (output == null ? "at all"
                    : "'" + output + "'") + (run.outputs().isEmpty() ? "" : "; it produced: "
                    + String.join(", ", run.outputs().keySet())));
        }
        return check.apply(output, run.outputs().get(output));
    }

    /** The named output; by default {@code answer}, else the app's first output, else the run's first. */
    static String outputName(String named, Observation run) {
        if (named != null) {
            return named;
        }
        if (run.outputs().containsKey("answer") || run.outputNames().contains("answer")) {
            return "answer";
        }
        if (!run.outputNames().isEmpty()) {
            return run.outputNames().getFirst();
        }
        Iterator<String> keys = run.outputs().keySet().iterator();
        return keys.hasNext() ? keys.next() : null;
    }

    private AssertionResult equalsCheck(Assertion.Equals e, String output, Object value) {
        JsonNode expected = e.value();
        boolean same;
        if (expected.isString() || value instanceof String) {
            String want = expected.isString() ? expected.asString() : json.writeValueAsString(expected);
            String got = text(value);
            if (e.trim()) {
                want = want.strip();
                got = got.strip();
            }
            same = e.ignoreCase() ? want.equalsIgnoreCase(got) : want.equals(got);
        } else {
            same = sameJson(expected, json.valueToTree(value));
        }
        boolean passed = same != e.negate();
        String shown = expected.isString() ? quote(expected.asString()) : abbreviate(json.writeValueAsString(expected));
        String message = output + (e.negate() ? " does not equal " : " equals ") + shown
                + (e.ignoreCase() ? " (ignoring case)" : "");
        return result(e, output, passed, passed ? message : "expected " + message + "; it was " + show(value));
    }

    private AssertionResult contains(Assertion.Contains c, String output, Object value) {
        String got = text(value);
        boolean found = c.ignoreCase() ? got.toLowerCase(Locale.ROOT).contains(c.value().toLowerCase(Locale.ROOT))
                : got.contains(c.value());
        boolean passed = found != c.negate();
        String message = output + (c.negate() ? " does not contain " : " contains ") + quote(c.value())
                + (c.ignoreCase() ? " (ignoring case)" : "");
        return result(c, output, passed, passed ? message : "expected " + message + "; it was " + show(value));
    }

    private AssertionResult regex(Assertion.Regex r, String output, Object value) {
        String got = text(value);
        boolean found;
        try {
            Matcher m = r.pattern().matcher(new BudgetedText(got));
            found = m.find();
        } catch (BudgetedText.Exhausted ex) {
            return result(r, output, false, "the pattern /" + r.pattern().pattern() + "/ took too long on " + output
                    + " (it backtracks catastrophically on this text)");
        } catch (StackOverflowError ex) {
            // java.util.regex recurses per repetition of a group: a long text can exhaust the stack
            return result(r, output, false, "the pattern /" + r.pattern().pattern() + "/ repeats a group too often for "
                    + "the length of " + output + " (" + got.length() + " characters); simplify the group");
        }
        boolean passed = found != r.negate();
        String message = output + (r.negate() ? " does not match /" : " matches /") + r.pattern().pattern() + "/";
        return result(r, output, passed, passed ? message : "expected " + message + "; it was " + show(value));
    }

    private AssertionResult schema(Assertion.JsonSchema s, String output, Object value) {
        JsonNode node;
        if (value instanceof String text) {
            try {
                node = json.readTree(stripFence(text.strip()));
            } catch (JacksonException e) {
                return result(s, output, false, output + " is not JSON, so it cannot match the schema; it was " + show(value));
            }
        } else {
            node = json.valueToTree(value);
        }
        List<String> errors = JsonSchemas.validate(s.schema(), node);
        if (errors.isEmpty()) {
            return result(s, output, true, output + " is valid against the schema");
        }
        return new AssertionResult(s.type(), output, false, output + " does not match the schema: "
                + String.join("; ", errors), Map.of("errors", errors));
    }

    private AssertionResult range(Assertion.Range r, String output, Object value) {
        String bounds = (r.min() == null ? "" : ">= " + r.min().toPlainString())
                + (r.min() != null && r.max() != null ? " and " : "")
                + (r.max() == null ? "" : "<= " + r.max().toPlainString());
        BigDecimal n = number(value);
        if (n == null) {
            return result(r, output, false, "expected " + output + " to be a number " + bounds + "; it was " + show(value));
        }
        boolean passed = (r.min() == null || n.compareTo(r.min()) >= 0) && (r.max() == null || n.compareTo(r.max()) <= 0);
        return result(r, output, passed, output + " = " + n.toPlainString() + (passed ? " is " : " is not ") + bounds);
    }

    private AssertionResult judge(Assertion.Judge j, String output, Object value, Scope scope) {
        TestJudge.Verdict v = judge.judge(j.model(), j.rubric(), text(value), scope.workspaceId(), scope.appId(),
                scope.testRunId());
        scope.judgeSpent().accept(v);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("model", j.model());
        if (v.reason() != null) {
            details.put("reason", v.reason());
        }
        if (v.score() != null) {
            details.put("score", v.score());
        }
        details.put("usage", Map.of("inputTokens", v.inputTokens(), "outputTokens", v.outputTokens()));
        if (v.cost() != null) {
            details.put("cost", v.cost());
        }
        if (v.error() != null) {
            return new AssertionResult(j.type(), output, false, v.error(), details);
        }
        boolean scoreOk = j.minScore() == null || (v.score() != null && v.score() >= j.minScore());
        boolean passed = v.pass() && scoreOk;
        String why = v.reason() == null ? "" : ": " + v.reason();
        String message;
        if (!v.pass()) {
            message = "the judge found that " + output + " does not meet the rubric" + why;
        } else if (!scoreOk) {
            message = "the judge passed " + output + " but scored it " + (v.score() == null ? "not at all" : v.score())
                    + ", below the minimum " + j.minScore() + why;
        } else {
            message = "the judge found that " + output + " meets the rubric" + why;
        }
        return new AssertionResult(j.type(), output, passed, message, details);
    }

    private AssertionResult maxLatency(Assertion.MaxLatency m, Observation run) {
        if (run.latencyMs() == null) {
            return result(m, null, false, "the run's latency is unknown");
        }
        boolean passed = run.latencyMs() <= m.ms();
        return result(m, null, passed, String.format(Locale.ROOT, "the run took %.1f ms%s %s ms", run.latencyMs(),
                passed ? ", within" : ", more than", plain(m.ms())));
    }

    private AssertionResult maxCost(Assertion.MaxCost m, Observation run) {
        UsageView u = run.usage();
        BigDecimal cost;
        if (u == null || u.totalTokens() == 0) {
            cost = u == null || u.cost() == null ? BigDecimal.ZERO : u.cost();
        } else if (u.cost() == null) {
            return result(m, null, false, "the run's cost is unknown (" + u.totalTokens() + " tokens"
                    + (u.model() == null ? "" : " of " + u.model()) + " and no price configured for it), so it "
                    + "cannot be shown to be at most $" + m.usd().toPlainString());
        } else {
            cost = u.cost();
        }
        boolean passed = cost.compareTo(m.usd()) <= 0;
        return result(m, null, passed, "the run cost $" + cost.stripTrailingZeros().toPlainString()
                + (passed ? ", within $" : ", more than $") + m.usd().toPlainString());
    }

    private static AssertionResult result(Assertion a, String output, boolean passed, String message) {
        return new AssertionResult(a.type(), output, passed, message, null);
    }

    /** Deep JSON equality with numbers compared by value (1 equals 1.0). */
    static boolean sameJson(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameJson(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (var e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !sameJson(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof String s ? s : json.writeValueAsString(value);
    }

    private static BigDecimal number(Object value) {
        if (value instanceof Number n) {
            try {
                return new BigDecimal(n.toString());
            } catch (NumberFormatException e) {
                return null; // NaN, Infinity
            }
        }
        if (value instanceof String s && !s.isBlank() && s.strip().length() <= 100) {
            try {
                return new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A model's JSON often comes in one Markdown code fence: look inside it. */
    static String stripFence(String s) {
        if (!s.startsWith("```") || !s.endsWith("```") || s.length() < 6) {
            return s;
        }
        String inner = s.substring(3, s.length() - 3);
        int nl = inner.indexOf('\n');
        if (nl >= 0 && inner.substring(0, nl).strip().matches("[A-Za-z]*")) {
            inner = inner.substring(nl + 1);
        }
        return inner.strip();
    }

    private String show(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof String s ? quote(s) : abbreviate(json.writeValueAsString(value));
    }

    private static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    private static String abbreviate(String s) {
        return s.length() <= QUOTE ? s : s.substring(0, QUOTE - 3) + "...";
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
