package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.policy.PolicyOptions;
import dev.switchboard.engine.policy.TokenCounter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code policy.length}: {@code maxChars}, {@code minChars}, {@code maxTokens}, {@code minTokens}
 * (at least one). Characters are Unicode code points (an emoji counts once); tokens come from the
 * app's {@link TokenCounter} service when registered, else {@link PolicyOptions#tokenCounter()}.
 * {@code action: redact} truncates to the maximum (only with a maximum and no minimum). Default
 * action: block.
 */
final class LengthKind extends PolicyKind {

    private static final int MAX = 100_000_000;

    LengthKind(PolicyOptions options) {
        super("policy.length", options);
    }

    @Override
    Action defaultAction() {
        return Action.BLOCK;
    }

    @Override
    boolean canRedact() {
        return true;
    }

    @Override
    String defaultMessage() {
        return "Your message is too long or too short to be processed.";
    }

    @Override
    Detector compileDetector(NodeCompiler c, Action action) {
        Integer maxChars = c.optionalInt("maxChars", 1, MAX).orElse(null);
        Integer minChars = c.optionalInt("minChars", 0, MAX).orElse(null);
        Integer maxTokens = c.optionalInt("maxTokens", 1, MAX).orElse(null);
        Integer minTokens = c.optionalInt("minTokens", 0, MAX).orElse(null);
        if (maxChars == null && minChars == null && maxTokens == null && minTokens == null && !c.hasProblems()) {
            c.problem("maxChars", ValidationProblem.MISSING_CONFIG, "Set at least one of maxChars, minChars, maxTokens, minTokens.");
        }
        if (maxChars != null && minChars != null && minChars > maxChars) {
            c.problem("minChars", ValidationProblem.INVALID_CONFIG, "'minChars' is larger than 'maxChars'.");
        }
        if (maxTokens != null && minTokens != null && minTokens > maxTokens) {
            c.problem("minTokens", ValidationProblem.INVALID_CONFIG, "'minTokens' is larger than 'maxTokens'.");
        }
        if (action == Action.REDACT && (minChars != null || minTokens != null || maxChars == null && maxTokens == null)) {
            c.problem("action", ValidationProblem.INVALID_CONFIG,
                    "\"redact\" truncates text to maxChars/maxTokens, so it needs a maximum and no minimum.");
        }
        return new LengthDetector(maxChars, minChars, maxTokens, minTokens, options.tokenCounter());
    }

    record LengthDetector(Integer maxChars, Integer minChars, Integer maxTokens, Integer minTokens, TokenCounter fallback)
            implements Detector {

        @Override
        public Detection detect(String text, NodeContext ctx) {
            List<Finding> findings = new ArrayList<>();
            int chars = text.codePointCount(0, text.length());
            if (maxChars != null && chars > maxChars) {
                findings.add(Finding.whole("too_long", detail("characters", maxChars, chars)));
            }
            if (minChars != null && chars < minChars) {
                findings.add(Finding.whole("too_short", detail("characters", minChars, chars)));
            }
            if (maxTokens != null || minTokens != null) {
                int tokens = counter(ctx).count(text);
                if (maxTokens != null && tokens > maxTokens) {
                    findings.add(Finding.whole("too_long", detail("tokens", maxTokens, tokens)));
                }
                if (minTokens != null && tokens < minTokens) {
                    findings.add(Finding.whole("too_short", detail("tokens", minTokens, tokens)));
                }
            }
            return Detection.of(findings, null);
        }

        private TokenCounter counter(NodeContext ctx) {
            return ctx.findService(TokenCounter.class).orElse(fallback);
        }

        private static Map<String, Object> detail(String unit, int limit, int actual) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("unit", unit);
            d.put("limit", limit);
            d.put("actual", actual);
            return d;
        }

        /** Truncates to the character maximum, then to the token maximum. */
        @Override
        public Redaction redact(String text, Detection detection, NodeContext ctx) {
            String out = text;
            if (maxChars != null && out.codePointCount(0, out.length()) > maxChars) {
                out = out.substring(0, out.offsetByCodePoints(0, maxChars));
            }
            if (maxTokens != null) {
                out = out.substring(0, counter(ctx).prefixLength(out, maxTokens));
            }
            List<String> placeholders = new ArrayList<>();
            detection.findings().forEach(f -> placeholders.add(null));
            return new Redaction(out, placeholders, Map.of());
        }
    }
}
