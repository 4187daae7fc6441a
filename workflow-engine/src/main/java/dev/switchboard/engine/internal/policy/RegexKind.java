package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.policy.PolicyOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * {@code policy.regex}: {@code deny} (patterns that must not occur; each a string or
 * {@code {"name", "pattern"}}), {@code allow} (the text must contain a match of at least one;
 * anchor with {@code ^...$} for whole-text formats), {@code caseInsensitive}, {@code replacement}
 * (for redacting deny matches, default {@code [REDACTED]}). Java regex syntax; patterns that don't
 * compile are validation problems. Default action: block.
 *
 * <p>Guard against catastrophic backtracking: each pattern gets a step budget proportional to the
 * text ({@link BudgetedCharSequence}) and the node's deadline, and text longer than
 * {@link PolicyOptions#maxRegexInput()} is not evaluated. Either case fails closed: the policy
 * triggers, with a finding saying why.
 */
final class RegexKind extends PolicyKind {

    static final int MAX_PATTERNS = 100;
    static final int MAX_PATTERN_LENGTH = 1_000;

    RegexKind(PolicyOptions options) {
        super("policy.regex", options);
    }

    @Override
    Action defaultAction() {
        return Action.BLOCK;
    }

    @Override
    boolean canRedact() {
        return true;
    }

    record Rule(String name, Pattern pattern) {
    }

    @Override
    Detector compileDetector(NodeCompiler c, Action action) {
        boolean ci = c.optionalBoolean("caseInsensitive").orElse(false);
        List<Rule> deny = rules(c, "deny", ci);
        List<Rule> allow = rules(c, "allow", ci);
        if (!c.config().hasNonNull("deny") && !c.config().hasNonNull("allow")) {
            c.problem("deny", ValidationProblem.MISSING_CONFIG, "A regex policy needs 'deny' or 'allow' patterns (or both).");
        }
        if (deny.size() + allow.size() > MAX_PATTERNS) {
            c.problem("deny", ValidationProblem.INVALID_CONFIG, "At most " + MAX_PATTERNS + " patterns are allowed in all.");
        }
        if (action == Action.REDACT && !c.config().hasNonNull("deny")) {
            c.problem("action", ValidationProblem.INVALID_CONFIG, "Redaction replaces 'deny' matches, and this node has none.");
        }
        String replacement = c.optionalText("replacement").orElse("[REDACTED]");
        return new RegexDetector(deny, allow, replacement, options.regexStepBudget(), options.maxRegexInput());
    }

    private static List<Rule> rules(NodeCompiler c, String key, boolean caseInsensitive) {
        Optional<JsonNode> v = c.value(key);
        if (v.isEmpty()) {
            return List.of();
        }
        JsonNode list = v.get();
        if (list.isString()) {
            list = c.config().arrayNode().add(list.asString());
        }
        if (!list.isArray() || list.isEmpty()) {
            c.problem(key, ValidationProblem.INVALID_CONFIG, "'" + key + "' must be a list of patterns (text, or {\"name\", \"pattern\"}).");
            return List.of();
        }
        List<Rule> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = key + "[" + i + "]";
            String source;
            String name = null;
            if (e.isString()) {
                source = e.asString();
            } else if (e.isObject() && e.path("pattern").isString()) {
                source = e.get("pattern").asString();
                name = e.path("name").isString() ? e.get("name").asString() : null;
            } else {
                c.problem(at, ValidationProblem.INVALID_CONFIG, "Each pattern must be text or {\"name\", \"pattern\"}.");
                continue;
            }
            if (source.isEmpty() || source.length() > MAX_PATTERN_LENGTH) {
                c.problem(at, ValidationProblem.INVALID_CONFIG, "A pattern must have 1 to " + MAX_PATTERN_LENGTH + " characters.");
                continue;
            }
            try {
                Pattern p = Pattern.compile(source, caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
                out.add(new Rule(name != null ? name : source, p));
            } catch (PatternSyntaxException ex) {
                c.problem(at, ValidationProblem.INVALID_CONFIG, "Invalid regular expression: " + ex.getDescription()
                        + (ex.getIndex() >= 0 ? " near index " + ex.getIndex() : "") + ".");
            }
        }
        return out;
    }

    record RegexDetector(List<Rule> deny, List<Rule> allow, String replacement, long budgetPer1000, int maxInput)
            implements Detector {

        @Override
        public Detection detect(String text, NodeContext ctx) throws InterruptedException {
            if (text.length() > maxInput) {
                return Detection.of(List.of(Finding.whole("input_too_long", Map.of("length", text.length(), "limit", maxInput))),
                        "The text is too long to check with patterns (" + text.length() + " > " + maxInput + " characters).");
            }
            long budget = budgetPer1000 * Math.max(1, (text.length() + 999) / 1000);
            long deadline = deadlineNanos(ctx);
            List<Finding> findings = new ArrayList<>();
            for (Rule r : deny) {
                try {
                    Matcher m = r.pattern().matcher(new BudgetedCharSequence(text, budget, deadline));
                    while (m.find()) {
                        if (m.end() > m.start()) {
                            findings.add(new Finding("deny", m.start(), m.end(), Map.of("pattern", r.name())));
                        }
                    }
                } catch (BudgetedCharSequence.Exhausted e) {
                    exhausted(e, r, findings);
                }
            }
            if (!allow.isEmpty()) {
                boolean allowed = false;
                for (Rule r : allow) {
                    try {
                        if (r.pattern().matcher(new BudgetedCharSequence(text, budget, deadline)).find()) {
                            allowed = true;
                            break;
                        }
                    } catch (BudgetedCharSequence.Exhausted e) {
                        exhausted(e, r, findings);
                    }
                }
                if (!allowed) {
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("patterns", allow.stream().map(Rule::name).toList());
                    findings.add(Finding.whole("not_allowed", detail));
                }
            }
            return Detection.of(findings, null);
        }

        private static void exhausted(BudgetedCharSequence.Exhausted e, Rule r, List<Finding> findings) throws InterruptedException {
            if (e.interrupted) {
                throw new InterruptedException("cancelled while matching " + r.name());
            }
            findings.add(Finding.whole("regex_budget_exceeded", Map.of("pattern", r.name())));
        }

        private static long deadlineNanos(NodeContext ctx) {
            Instant d = ctx.deadline();
            long now = System.nanoTime();
            if (d == null) {
                return now + Duration.ofSeconds(10).toNanos();
            }
            long left = Duration.between(ctx.clock().instant(), d).toNanos();
            return now + Math.max(0, Math.min(left, Duration.ofSeconds(10).toNanos()));
        }

        @Override
        public Redaction redact(String text, Detection detection, NodeContext ctx) {
            return Redaction.replaceSpans(text, detection.findings(), f -> replacement);
        }
    }
}
