package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Scores a text for prompt injection: runs {@link InjectionRules} over the text and over
 * de-obfuscated variants of it ({@link InjectionVariants}: leetspeak, spaced-out letters, ROT13,
 * base64/hex/percent-encoded payloads, Unicode tag smuggling), keeps the strongest finding per
 * rule, and combines the weights of distinct rules as independent evidence:
 * {@code score = 1 - Π(1 - weight)}. The policy triggers when the score reaches the threshold.
 */
record InjectionDetector(double threshold) implements Detector {

    @Override
    public Detection detect(String text, NodeContext ctx) {
        return score(text);
    }

    Detection score(String text) {
        Map<String, Finding> best = new LinkedHashMap<>();
        for (InjectionVariants.Variant v : InjectionVariants.of(text)) {
            for (InjectionRules.Rule r : InjectionRules.RULES) {
                if (r.original() != v.original() || v.strongOnly() && r.weight() < 0.55) {
                    continue;
                }
                Matcher m = r.pattern().matcher(v.text());
                if (m.find()) {
                    double w = r.weight();
                    Finding f = new Finding("injection", v.originalStart(m.start()), v.originalEnd(m.end()),
                            detail(r.name(), r.category().name().toLowerCase(java.util.Locale.ROOT), w, v.via()));
                    Finding prev = best.get(r.name());
                    if (prev == null) {
                        best.put(r.name(), f);
                    }
                }
            }
            if (v.signalWeight() > 0) {
                best.putIfAbsent(v.signal(), new Finding("injection", v.spanStart(), v.spanEnd(),
                        detail(v.signal(), "obfuscation", v.signalWeight(), v.via())));
            }
        }
        List<Finding> findings = new ArrayList<>(best.values());
        double keep = 1;
        for (Finding f : findings) {
            keep *= 1 - ((Number) f.detail().get("weight")).doubleValue();
        }
        double score = Math.round((1 - keep) * 1000) / 1000.0;
        boolean triggered = score >= threshold;
        String reason = findings.isEmpty() ? null : "Prompt-injection score " + score + " (threshold " + threshold + "): "
                + String.join(", ", best.keySet()) + ".";
        return new Detection(findings, triggered, score, reason, null);
    }

    private static Map<String, Object> detail(String rule, String category, double weight, String via) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("rule", rule);
        d.put("category", category);
        d.put("weight", weight);
        d.put("via", via);
        return d;
    }
}
