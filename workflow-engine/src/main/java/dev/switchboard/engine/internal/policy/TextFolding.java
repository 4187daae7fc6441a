package dev.switchboard.engine.internal.policy;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Folds text for matching that ignores case, diacritics, compatibility forms (full-width letters,
 * ligatures, mathematical letters), common Cyrillic/Greek look-alikes and invisible format
 * characters (zero-width spaces, soft hyphens, bidi marks), and collapses whitespace runs to one
 * space. Keeps, for every folded character, the span of the original it came from, so matches map
 * back to offsets in the original text.
 */
final class TextFolding {

    /** Letters that NFKD does not decompose to ASCII but readers see as such. */
    private static final Map<Integer, String> SPECIAL = Map.ofEntries(
            Map.entry((int) 'ß', "ss"), Map.entry((int) 'æ', "ae"), Map.entry((int) 'Æ', "ae"), Map.entry((int) 'œ', "oe"),
            Map.entry((int) 'Œ', "oe"), Map.entry((int) 'ø', "o"), Map.entry((int) 'Ø', "o"), Map.entry((int) 'ł', "l"),
            Map.entry((int) 'Ł', "l"), Map.entry((int) 'đ', "d"), Map.entry((int) 'Đ', "d"), Map.entry((int) 'ħ', "h"),
            Map.entry((int) 'ı', "i"), Map.entry((int) 'þ', "th"), Map.entry((int) 'ð', "d"), Map.entry((int) 'ŀ', "l"),
            // typographic quotes and dashes as typed on phones
            Map.entry(0x2018, "'"), Map.entry(0x2019, "'"), Map.entry(0x201B, "'"), Map.entry(0x2032, "'"),
            Map.entry(0x201C, "\""), Map.entry(0x201D, "\""), Map.entry(0x201E, "\""), Map.entry(0x2013, "-"),
            Map.entry(0x2014, "-"), Map.entry(0x2212, "-"),
            // Cyrillic look-alikes
            Map.entry(0x430, "a"), Map.entry(0x435, "e"), Map.entry(0x43E, "o"), Map.entry(0x440, "p"), Map.entry(0x441, "c"),
            Map.entry(0x443, "y"), Map.entry(0x445, "x"), Map.entry(0x456, "i"), Map.entry(0x458, "j"), Map.entry(0x455, "s"),
            Map.entry(0x501, "d"), Map.entry(0x4BB, "h"), Map.entry(0x410, "a"), Map.entry(0x412, "b"), Map.entry(0x415, "e"),
            Map.entry(0x41A, "k"), Map.entry(0x41C, "m"), Map.entry(0x41D, "h"), Map.entry(0x41E, "o"), Map.entry(0x420, "p"),
            Map.entry(0x421, "c"), Map.entry(0x422, "t"), Map.entry(0x425, "x"), Map.entry(0x423, "y"), Map.entry(0x406, "i"),
            // Greek look-alikes
            Map.entry(0x3BF, "o"), Map.entry(0x3B1, "a"), Map.entry(0x3B9, "i"), Map.entry(0x3BA, "k"), Map.entry(0x3BD, "v"),
            Map.entry(0x3C1, "p"), Map.entry(0x3C4, "t"), Map.entry(0x3C5, "u"), Map.entry(0x3C7, "x"), Map.entry(0x391, "a"),
            Map.entry(0x392, "b"), Map.entry(0x395, "e"), Map.entry(0x396, "z"), Map.entry(0x397, "h"), Map.entry(0x399, "i"),
            Map.entry(0x39A, "k"), Map.entry(0x39C, "m"), Map.entry(0x39D, "n"), Map.entry(0x39F, "o"), Map.entry(0x3A1, "p"),
            Map.entry(0x3A4, "t"), Map.entry(0x3A5, "y"), Map.entry(0x3A7, "x"));

    private TextFolding() {
    }

    /**
     * A folded text with, per folded char, the original span {@code [start[i], end[i])}.
     *
     * @param hiddenInsideWords format characters (zero-width etc.) found between two letters
     */
    record Folded(String text, int[] start, int[] end, int hiddenInsideWords) {

        /** The original span of folded {@code [from, to)}. */
        int originalStart(int from) {
            return start[from];
        }

        int originalEnd(int to) {
            return end[to - 1];
        }
    }

    static Folded fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int[] start = new int[s.length() + 16];
        int[] end = new int[s.length() + 16];
        int hidden = 0;
        int n = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            String piece;
            if (Character.getType(cp) == Character.FORMAT) {
                if (i > 0 && Character.isLetter(s.codePointBefore(i)) && i + len < s.length() && Character.isLetter(s.codePointAt(i + len))) {
                    hidden++;
                }
                i += len;
                continue;
            }
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                piece = n > 0 && out.charAt(out.length() - 1) == ' ' ? "" : " ";
            } else if (cp < 0x80) {
                piece = String.valueOf((char) Character.toLowerCase(cp));
            } else {
                piece = foldOne(cp);
            }
            for (int k = 0; k < piece.length(); k++) {
                if (n == start.length) {
                    start = Arrays.copyOf(start, n * 2);
                    end = Arrays.copyOf(end, n * 2);
                }
                out.append(piece.charAt(k));
                start[n] = i;
                end[n] = i + len;
                n++;
            }
            i += len;
        }
        return new Folded(out.toString(), Arrays.copyOf(start, n), Arrays.copyOf(end, n), hidden);
    }

    /** Folds a term the same way as text (without offsets). */
    static String foldTerm(String term) {
        return fold(term).text().strip();
    }

    private static String foldOne(int cp) {
        String special = SPECIAL.get(cp);
        if (special != null) {
            return special;
        }
        String decomposed = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKD);
        StringBuilder sb = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(c -> {
            int t = Character.getType(c);
            if (t != Character.NON_SPACING_MARK && t != Character.COMBINING_SPACING_MARK && t != Character.ENCLOSING_MARK) {
                String sp = SPECIAL.get(c);
                if (sp != null) {
                    sb.append(sp);
                } else {
                    sb.append(new String(Character.toChars(c)).toLowerCase(Locale.ROOT));
                }
            }
        });
        return sb.toString();
    }

    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c);
    }
}
