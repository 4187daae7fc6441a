package dev.switchboard.engine.internal.policy;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The readings of a text that injection rules are run on: the text itself, its folded form, and
 * de-obfuscated forms (leetspeak, s p a c e d letters, ROT13, base64/hex/percent-encoded blobs,
 * Unicode tag characters). Each variant maps its positions back to spans of the original text.
 */
final class InjectionVariants {

    private static final int MAX_BLOBS = 20;
    private static final int MAX_BLOB = 20_000;
    private static final Pattern LEET_TOKEN = Pattern.compile("[\\p{L}\\p{N}@$!|]*[\\p{L}][\\p{L}\\p{N}@$!|]*");
    /** A leet character between two letters ("1gn0re", "pr3vious"): "5pm" or "B2B" alone don't count. */
    private static final Pattern LEET_CHARS = Pattern.compile("[0134578@$!|]");
    private static final Pattern ROT13_MENTION = Pattern.compile("\\brot-? ?13\\b|\\bcaesar\\b");
    private static final Pattern LEET_INSIDE = Pattern.compile("\\p{L}[0134578$!|]+\\p{L}|\\p{L}@\\p{L}++(?![.\\p{N}])");
    /** Frequent English words; text made of them is plain, so its ROT13 reading is noise. */
    private static final Pattern COMMON = Pattern.compile("\\b(?:the|and|you|your|to|of|is|a|in|it|for|on|that|this|with|my|me|i|be|are|was|not|have|can|please|what|how)\\b");
    private static final Pattern WORDS = Pattern.compile("\\p{L}+");
    private static final Pattern SPACED = Pattern.compile("(?<![\\p{L}\\p{N}])\\p{L}(?:[ .\\-_*·]\\p{L}(?![\\p{L}\\p{N}])){2,}");
    private static final Pattern BASE64 = Pattern.compile("(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])");
    private static final Pattern HEX = Pattern.compile(
            "(?:\\\\x[0-9a-fA-F]{2}){8,}|(?<![0-9A-Za-z])(?:[0-9a-fA-F]{2}[ :]?){12,}(?![0-9A-Za-z])");
    private static final Pattern PERCENT = Pattern.compile("(?:%[0-9A-Fa-f]{2}[^\\s%]{0,3}){6,}");

    /**
     * One reading of the text.
     *
     * @param original    true for the raw text (rules that look at structure run on it)
     * @param strongOnly  only strong rules apply (ROT13: weak matches in rotated text are noise)
     * @param signal      a signal this variant itself gives (e.g. hidden characters), or null
     */
    record Variant(String text, int[] start, int[] end, String via, boolean original, boolean strongOnly,
                   String signal, double signalWeight, int spanStart, int spanEnd) {

        int originalStart(int i) {
            return start[Math.min(i, start.length - 1)];
        }

        int originalEnd(int i) {
            return end[Math.max(0, i - 1)];
        }
    }

    private InjectionVariants() {
    }

    static List<Variant> of(String text) {
        List<Variant> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        out.add(new Variant(text, identity(text.length(), 0), identity(text.length(), 1), "text", true, false, null, 0, -1, -1));
        TextFolding.Folded folded = TextFolding.fold(text);
        if (folded.text().isEmpty()) {
            return out;
        }
        boolean hidden = folded.hiddenInsideWords() > 0;
        out.add(new Variant(folded.text(), folded.start(), folded.end(), "text", false, false,
                hidden ? "hidden_characters" : null, hidden ? 0.35 : 0, -1, -1));
        leet(folded, 'i', out);
        leet(folded, 'l', out);
        spaced(text, out);
        dehyphenated(folded, out);
        if (!looksPlain(folded.text()) || ROT13_MENTION.matcher(folded.text()).find()) {
            out.add(new Variant(rot13(folded.text()), folded.start(), folded.end(), "rot13", false, true, null, 0, -1, -1));
        }
        blobs(text, out);
        tags(text, out);
        return out;
    }

    private static int[] identity(int n, int plus) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i + plus;
        }
        return a;
    }

    private static void leet(TextFolding.Folded f, char one, List<Variant> out) {
        String s = f.text();
        if (!LEET_INSIDE.matcher(s).find()) {
            return;
        }
        StringBuilder sb = new StringBuilder(s);
        boolean changed = false;
        Matcher tok = LEET_TOKEN.matcher(s);
        while (tok.find()) {
            if (!LEET_CHARS.matcher(tok.group()).find()) {
                continue;
            }
            for (int i = tok.start(); i < tok.end(); i++) {
                char c = switch (s.charAt(i)) {
                    case '0' -> 'o';
                    case '1' -> one;
                    case '3' -> 'e';
                    case '4', '@' -> 'a';
                    case '5', '$' -> 's';
                    case '7' -> 't';
                    case '8' -> 'b';
                    case '!' -> 'i';
                    case '|' -> 'l';
                    default -> s.charAt(i);
                };
                if (c != s.charAt(i)) {
                    sb.setCharAt(i, c);
                    changed = true;
                }
            }
        }
        if (changed) {
            out.add(new Variant(sb.toString(), f.start(), f.end(), "leetspeak", false, false, null, 0, -1, -1));
        }
    }

    /** "i g n o r e  a l l" → "ignore all": single separators between single letters are dropped. */
    private static void spaced(String text, List<Variant> out) {
        Matcher m = SPACED.matcher(text);
        if (!m.find()) {
            return;
        }
        StringBuilder sb = new StringBuilder(text.length());
        List<Integer> map = new ArrayList<>(text.length());
        int at = 0;
        do {
            for (int i = at; i < m.start(); i++) {
                sb.append(text.charAt(i));
                map.add(i);
            }
            for (int i = m.start(); i < m.end(); i++) {
                if (Character.isLetter(text.charAt(i))) {
                    sb.append(text.charAt(i));
                    map.add(i);
                }
            }
            at = m.end();
        } while (m.find());
        for (int i = at; i < text.length(); i++) {
            sb.append(text.charAt(i));
            map.add(i);
        }
        TextFolding.Folded f = TextFolding.fold(sb.toString());
        int[] start = new int[f.start().length];
        int[] end = new int[f.end().length];
        for (int i = 0; i < start.length; i++) {
            start[i] = map.get(f.start()[i]);
            end[i] = map.get(f.end()[i] - 1) + 1;
        }
        out.add(new Variant(f.text(), start, end, "spaced_letters", false, false, null, 0, -1, -1));
    }

    private static final Pattern SYLLABLES = Pattern.compile("\\b\\p{L}{1,4}(?:-\\p{L}{1,4}){2,}\\b");

    /** "dis-re-gard" → "disregard": words split into short hyphenated chunks to dodge word lists. */
    private static void dehyphenated(TextFolding.Folded f, List<Variant> out) {
        Matcher m = SYLLABLES.matcher(f.text());
        if (!m.find()) {
            return;
        }
        StringBuilder sb = new StringBuilder(f.text().length());
        List<Integer> keep = new ArrayList<>();
        int at = 0;
        do {
            for (int i = at; i < m.end(); i++) {
                if (i < m.start() || f.text().charAt(i) != '-') {
                    sb.append(f.text().charAt(i));
                    keep.add(i);
                }
            }
            at = m.end();
        } while (m.find());
        for (int i = at; i < f.text().length(); i++) {
            sb.append(f.text().charAt(i));
            keep.add(i);
        }
        int[] start = new int[keep.size()];
        int[] end = new int[keep.size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = f.start()[keep.get(i)];
            end[i] = f.end()[keep.get(i)];
        }
        out.add(new Variant(sb.toString(), start, end, "hyphenated", false, false, null, 0, -1, -1));
    }

    /** At least one word in eight is a frequent English word (ROT13 text has almost none). */
    static boolean looksPlain(String folded) {
        long words = WORDS.matcher(folded).results().count();
        long common = COMMON.matcher(folded).results().count();
        return words >= 4 && common * 8 >= words;
    }

    static String rot13(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            char x = c[i];
            if (x >= 'a' && x <= 'z') {
                c[i] = (char) ('a' + (x - 'a' + 13) % 26);
            }
        }
        return new String(c);
    }

    private static void blobs(String text, List<Variant> out) {
        int found = 0;
        Matcher b = BASE64.matcher(text);
        while (b.find() && found < MAX_BLOBS) {
            String decoded = base64(b.group());
            if (decoded != null) {
                out.add(decodedVariant(decoded, b.start(), b.end(), "base64"));
                found++;
            }
        }
        Matcher h = HEX.matcher(text);
        while (h.find() && found < MAX_BLOBS) {
            String decoded = hex(h.group());
            if (decoded != null) {
                out.add(decodedVariant(decoded, h.start(), h.end(), "hex"));
                found++;
            }
        }
        Matcher p = PERCENT.matcher(text);
        while (p.find() && found < MAX_BLOBS) {
            String decoded = percent(p.group());
            if (decoded != null) {
                out.add(decodedVariant(decoded, p.start(), p.end(), "percent_encoding"));
                found++;
            }
        }
    }

    /** Unicode "tag" characters (U+E0020–U+E007E) mirror ASCII invisibly: decode and read them. */
    private static void tags(String text, List<Variant> out) {
        StringBuilder sb = new StringBuilder();
        int first = -1;
        int last = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp >= 0xE0020 && cp <= 0xE007E) {
                sb.append((char) (cp - 0xE0000));
                first = first < 0 ? i : first;
                last = i + Character.charCount(cp);
            }
            i += Character.charCount(cp);
        }
        if (sb.length() >= 4) {
            Variant v = decodedVariant(sb.toString(), first, last, "unicode_tags");
            out.add(new Variant(v.text(), v.start(), v.end(), v.via(), false, false, "unicode_tag_smuggling", 0.6, first, last));
        }
    }

    private static Variant decodedVariant(String decoded, int from, int to, String via) {
        TextFolding.Folded f = TextFolding.fold(decoded);
        int n = f.text().length();
        int[] start = new int[n];
        int[] end = new int[n];
        java.util.Arrays.fill(start, from);
        java.util.Arrays.fill(end, to);
        return new Variant(f.text(), start, end, via, false, false, null, 0, from, to);
    }

    private static String base64(String blob) {
        if (blob.length() > MAX_BLOB) {
            return null;
        }
        String s = blob.replace('-', '+').replace('_', '/').replace("=", "");
        if (s.length() % 4 == 1) {
            return null;
        }
        try {
            return printable(Base64.getDecoder().decode(s + "==".substring(0, (4 - s.length() % 4) % 4)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String hex(String blob) {
        String s = blob.replace("\\x", "").replace(" ", "").replace(":", "");
        if (s.length() % 2 != 0 || s.length() > MAX_BLOB) {
            return null;
        }
        try {
            return printable(HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String percent(String blob) {
        try {
            String d = java.net.URLDecoder.decode(blob.replace("+", "%2B"), StandardCharsets.UTF_8);
            return d.equals(blob) ? null : d;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The bytes as text when they are valid UTF-8 that reads like words (mostly printable, has a space). */
    static String printable(byte[] bytes) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        if (s.length() < 8 || s.indexOf(' ') < 0) {
            return null;
        }
        long printable = s.codePoints().filter(c -> !Character.isISOControl(c) || c == '\n' || c == '\t').count();
        return printable >= 0.95 * s.codePointCount(0, s.length()) ? s : null;
    }
}
