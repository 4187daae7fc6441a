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
                if (r.original() != v.original() || v.strongOnly() && r.weight() < 0.55 || !r.mayMatch(v.text())) {
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
            if (!v.original() && !v.strongOnly()) {
                for (InjectionConcepts.Signal sig : InjectionConcepts.signals(v.text())) {
                    best.putIfAbsent(sig.name(), new Finding("injection", v.originalStart(sig.start()), v.originalEnd(sig.end()),
                            detail(sig.name(), sig.category(), sig.weight(), v.via())));
                }
            }
            if (v.signalWeight() > 0) {
                best.putIfAbsent(v.signal(), new Finding("injection", v.spanStart(), v.spanEnd(),
                        detail(v.signal(), "obfuscation", v.signalWeight(), v.via())));
            }
        }
        // a concept signal over the same words as a phrase rule is the same evidence, not more
        best.values().removeIf(f -> f.detail().get("rule").toString().startsWith("concept_") && best.values().stream()
                .anyMatch(o -> !o.detail().get("rule").toString().startsWith("concept_") && o.overlaps(f)));
        List<Finding> findings = new ArrayList<>(best.values());
        boolean meta = META.matcher(TextFolding.fold(text).text()).find();
        double keep = 1;
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            double w = ((Number) f.detail().get("weight")).doubleValue();
            if (meta && (quoted(text, f) || f.detail().get("rule").toString().startsWith("concept_"))) {
                // talking about an attack ("why does 'ignore previous instructions' work?") is not making one
                w = w / 2;
                Map<String, Object> d = new LinkedHashMap<>(f.detail());
                d.put("weight", w);
                d.put("discounted", "mention");
                findings.set(i, new Finding(f.type(), f.start(), f.end(), d));
            }
            keep *= 1 - w;
        }
        double score = Math.round((1 - keep) * 1000) / 1000.0;
        boolean triggered = score >= threshold;
        String reason = findings.isEmpty() ? null : "Prompt-injection score " + score + " (threshold " + threshold + "): "
                + String.join(", ", best.keySet()) + ".";
        return new Detection(findings, triggered, score, reason, null);
    }

    /** Words that show a text is about prompt injection rather than an instance of it. */
    private static final java.util.regex.Pattern META = java.util.regex.Pattern.compile("\\b(?:attacks?|attackers?|injections?|"
            + "jailbreaks|jailbreaking|red ?team\\w*|detect\\w*|defend\\w*|defen[cs]e|prevent\\w*|mitigat\\w*|conceptually|"
            + "example of|famous|how does|why does|explain)\\b");

    /** Whether the finding lies inside a quoted passage of the text. */
    private static boolean quoted(String text, Finding f) {
        if (!f.hasSpan()) {
            return false;
        }
        String before = text.substring(0, f.start());
        String after = text.substring(f.end());
        for (String q : new String[] {"'", "\"", "“", "‘"}) {
            String close = q.equals("“") ? "”" : q.equals("‘") ? "’" : q;
            int open = before.lastIndexOf(q);
            if (open >= 0 && before.indexOf(close, open + 1) < 0 && after.contains(close)) {
                return true;
            }
        }
        return false;
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
