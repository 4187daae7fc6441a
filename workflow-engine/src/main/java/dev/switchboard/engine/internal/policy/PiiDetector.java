package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the configured {@link PiiFinder}s in priority order (a span claimed by an earlier finder,
 * e.g. an IBAN, is not reported again as a phone number) and redacts with typed, numbered
 * placeholders: the same value gets the same placeholder within one text ({@code [EMAIL_1]}).
 */
record PiiDetector(List<PiiFinder> finders, PiiVault vault, boolean restore) implements Detector {

    @Override
    public Detection detect(String text, NodeContext ctx) {
        return Detection.of(find(text), null);
    }

    List<Finding> find(String text) {
        List<Finding> kept = new ArrayList<>();
        List<Finding> found = new ArrayList<>();
        for (PiiFinder f : finders) {
            found.clear();
            f.find(text, found);
            for (Finding candidate : found) {
                if (kept.stream().noneMatch(candidate::overlaps)) {
                    kept.add(candidate);
                }
            }
        }
        kept.sort(Comparator.comparingInt(Finding::start));
        return kept;
    }

    @Override
    public Redaction redact(String text, Detection detection, NodeContext ctx) {
        Map<String, Integer> counters = new HashMap<>();
        Map<String, String> byValue = new HashMap<>();
        Map<String, String> originals = new LinkedHashMap<>();
        Redaction r = Redaction.replaceSpans(text, detection.findings(), f -> {
            String raw = text.substring(f.start(), f.end());
            String key = f.type() + '\u0000' + canonical(f.type(), raw);
            return byValue.computeIfAbsent(key, k -> {
                PiiType type = PiiType.fromWireName(f.type());
                int n = counters.merge(f.type(), 1, Integer::sum);
                String placeholder = "[" + type.placeholderPrefix + "_" + n + "]";
                originals.put(placeholder, raw);
                return placeholder;
            });
        });
        if (!restore) {
            return r;
        }
        String sealed = vault.seal(originals, ctx.run().runId(), ctx.nodeId());
        return new Redaction(r.text(), r.placeholders(), Map.of("vault", sealed));
    }

    /** The form two mentions of one value share: lower-case e-mail, digits/letters only for numbers. */
    private static String canonical(String type, String raw) {
        if (type.equals(PiiType.EMAIL.wireName())) {
            return raw.toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(raw.length());
        raw.codePoints().filter(Character::isLetterOrDigit).map(Character::toUpperCase).forEach(sb::appendCodePoint);
        return type.equals(PiiType.IP_ADDRESS.wireName()) ? raw.toLowerCase(Locale.ROOT) : sb.toString();
    }
}
