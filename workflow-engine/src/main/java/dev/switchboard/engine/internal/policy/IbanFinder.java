package dev.switchboard.engine.internal.policy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iban4j.IbanUtil;
import org.iban4j.Iban4jException;

/**
 * International bank account numbers, solid ({@code DE89370400440532013000}) or in the printed
 * groups of four ({@code DE89 3704 0044 0532 0130 00}). A candidate counts only if iban4j accepts
 * it: a known country, that country's length and BBAN format, and the mod-97 check digits.
 */
final class IbanFinder implements PiiFinder {

    private static final Pattern CANDIDATE = Pattern.compile(
            "(?<![\\p{L}\\p{N}_])[A-Za-z]{2}\\d{2}(?:[ \\-]?[A-Za-z0-9]){11,32}");

    @Override
    public PiiType type() {
        return PiiType.IBAN;
    }

    @Override
    public void find(String text, List<Finding> out) {
        Matcher m = CANDIDATE.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int end = longestValid(text, m.start(), m.end());
            if (end > 0) {
                out.add(Finding.span(PiiType.IBAN.wireName(), m.start(), end));
                from = end;
            } else {
                from = m.start() + 1;
            }
        }
    }

    /** End of the longest prefix of [start, end) that is a valid IBAN and ends at a token boundary, or -1. */
    private static int longestValid(String text, int start, int end) {
        for (int e = end; e - start >= 15; e--) {
            char last = text.charAt(e - 1);
            if (!Character.isLetterOrDigit(last) || e < text.length() && Character.isLetterOrDigit(text.charAt(e))) {
                continue;
            }
            String compact = text.substring(start, e).replaceAll("[ \\-]", "").toUpperCase(Locale.ROOT);
            if (compact.length() >= 15 && compact.length() <= 34 && valid(compact)) {
                return e;
            }
        }
        return -1;
    }

    static boolean valid(String compact) {
        try {
            IbanUtil.validate(compact);
            return true;
        } catch (Iban4jException | IllegalArgumentException e) {
            return false;
        }
    }
}
