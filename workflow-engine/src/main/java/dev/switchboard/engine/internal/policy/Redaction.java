package dev.switchboard.engine.internal.policy;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The result of redacting a text.
 *
 * @param text         the redacted text
 * @param placeholders for each finding (same order), what replaced it, or null when it was not
 *                     replaced (it overlapped an earlier finding, or had no span)
 * @param extraOutputs outputs the node exposes besides the standard ones (e.g. a PII vault)
 */
record Redaction(String text, List<String> placeholders, Map<String, Object> extraOutputs) {

    Redaction {
        placeholders = java.util.Collections.unmodifiableList(new ArrayList<>(placeholders));
        extraOutputs = Map.copyOf(extraOutputs);
    }

    /** Replaces every non-overlapping span with {@code replacement.apply(finding)}, left to right. */
    static Redaction replaceSpans(String text, List<Finding> findings, Function<Finding, String> replacement) {
        StringBuilder sb = new StringBuilder(text.length());
        Map<Finding, String> chosen = new IdentityHashMap<>();
        int at = 0;
        for (Finding f : Spans.nonOverlapping(findings)) {
            String r = replacement.apply(f);
            chosen.put(f, r);
            sb.append(text, at, f.start()).append(r);
            at = f.end();
        }
        sb.append(text, at, text.length());
        List<String> placeholders = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            placeholders.add(chosen.get(f));
        }
        return new Redaction(sb.toString(), placeholders, Map.of());
    }
}
