package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code policy.blocklist}: {@code terms} (words or phrases; a trailing {@code *} matches any word
 * that starts so, e.g. {@code "scam*"}), {@code wholeWord} (default true: "ass" does not match
 * "class"), {@code replacement} for redaction (default {@code [REDACTED]}). Matching ignores case,
 * diacritics, look-alike letters, invisible characters and extra whitespace ({@link TextFolding}).
 * Default action: block.
 */
final class BlocklistKind extends PolicyKind {

    static final int MAX_TERMS = 10_000;
    static final int MAX_TERM_LENGTH = 200;

    BlocklistKind(PolicyOptions options) {
        super("policy.blocklist", options);
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
    Detector compileDetector(NodeCompiler c, Action action) {
        List<String> terms = c.optionalTextList("terms").orElse(null);
        if (terms == null) {
            if (!c.config().hasNonNull("terms")) {
                c.problem("terms", ValidationProblem.MISSING_CONFIG, "A blocklist needs 'terms': the words or phrases to catch.");
            }
            return null;
        }
        if (terms.isEmpty() || terms.size() > MAX_TERMS) {
            c.problem("terms", ValidationProblem.INVALID_CONFIG, "'terms' must list 1 to " + MAX_TERMS + " words or phrases.");
            return null;
        }
        boolean wholeWord = c.optionalBoolean("wholeWord").orElse(true);
        String replacement = c.optionalText("replacement").orElse("[REDACTED]");
        List<String> originals = new ArrayList<>();
        List<String> folded = new ArrayList<>();
        List<Boolean> prefix = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            String t = terms.get(i);
            boolean isPrefix = t.strip().endsWith("*");
            String f = TextFolding.foldTerm(isPrefix ? t.strip().substring(0, t.strip().length() - 1) : t);
            if (f.isEmpty() || t.length() > MAX_TERM_LENGTH) {
                c.problem("terms[" + i + "]", ValidationProblem.INVALID_CONFIG, "Each term must have 1 to " + MAX_TERM_LENGTH
                        + " characters besides spaces and marks.");
                continue;
            }
            for (String variant : variants(isPrefix ? t.strip().substring(0, t.strip().length() - 1) : t)) {
                originals.add(t.strip());
                folded.add(variant);
                prefix.add(isPrefix);
            }
        }
        return new BlocklistDetector(new AhoCorasick(folded), List.copyOf(originals), List.copyOf(prefix), wholeWord, replacement);
    }

    /**
     * The folded term, plus its German transliteration when it has umlauts ("Müller" also matches
     * "Mueller"; folding alone gives "Muller"). Hyphens and underscores count as spaces.
     */
    static List<String> variants(String term) {
        List<String> out = new ArrayList<>(2);
        out.add(spaced(TextFolding.foldTerm(term)));
        String lower = term.toLowerCase(java.util.Locale.ROOT);
        if (lower.matches(".*[äöü].*")) {
            String t = lower.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue");
            String v = spaced(TextFolding.foldTerm(t));
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Hyphens and underscores as spaces, so "wire-transfer" matches "wire transfer" (lengths unchanged). */
    static String spaced(String folded) {
        return folded.replace('-', ' ').replace('_', ' ');
    }

    record BlocklistDetector(AhoCorasick automaton, List<String> terms, List<Boolean> prefix, boolean wholeWord, String replacement)
            implements Detector {

        @Override
        public Detection detect(String text, NodeContext ctx) {
            return Detection.of(find(text), null);
        }

        List<Finding> find(String text) {
            TextFolding.Folded f = TextFolding.fold(text);
            String s = spaced(f.text());
            List<Finding> found = new ArrayList<>();
            for (AhoCorasick.Hit h : automaton.search(s)) {
                int start = h.start();
                int end = h.end();
                boolean isPrefix = prefix.get(h.pattern());
                if (wholeWord || isPrefix) {
                    if (start > 0 && TextFolding.isWordChar(s.charAt(start - 1)) && TextFolding.isWordChar(s.charAt(start))) {
                        continue;
                    }
                    if (isPrefix) {
                        while (end < s.length() && TextFolding.isWordChar(s.charAt(end))) {
                            end++;
                        }
                    } else if (end < s.length() && TextFolding.isWordChar(s.charAt(end)) && TextFolding.isWordChar(s.charAt(end - 1))) {
                        continue;
                    }
                }
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("term", terms.get(h.pattern()));
                found.add(new Finding("blocklist", f.originalStart(start), f.originalEnd(end), detail));
            }
            // leftmost-longest, no overlaps
            found.sort(Comparator.comparingInt(Finding::start).thenComparing(Comparator.comparingInt(Finding::end).reversed()));
            return Spans.nonOverlapping(found);
        }

        @Override
        public Redaction redact(String text, Detection detection, NodeContext ctx) {
            return Redaction.replaceSpans(text, detection.findings(), x -> replacement);
        }
    }
}
