package dev.switchboard.engine.internal.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A cheap necessary condition for a regex: literals of which at least one must occur in any text
 * the regex can match. Derived from the pattern source — each top-level alternative contributes
 * the literal prefixes of its first group's alternatives (or its own literal prefix) — so that a
 * rule is only run on texts that contain one of them ({@link String#contains} is far cheaper than
 * trying an alternation at every position). When a branch has no usable literal, the gate is open
 * (null) and the rule always runs. Literals are lower case, for folded text.
 */
final class LiteralGate {

    private static final int MIN_LITERAL = 2;

    private LiteralGate() {
    }

    /** The literals, or null when no safe gate can be derived. */
    static List<String> of(String regex) {
        if (regex.startsWith("(?")  && !regex.startsWith("(?:")) {
            return null; // inline flags: keep it simple, no gate
        }
        List<String> out = new ArrayList<>();
        for (String branch : split(regex)) {
            String b = skipBoundaries(branch);
            List<String> lits = new ArrayList<>();
            if (b.startsWith("(?:")) {
                int close = closing(b, 0);
                if (close < 0) {
                    return null;
                }
                for (String alt : split(b.substring(3, close))) {
                    lits.add(prefix(skipBoundaries(alt)));
                }
                if (close + 1 < b.length() && (b.charAt(close + 1) == '?' || b.charAt(close + 1) == '*')) {
                    return null; // optional group: its literals are not required
                }
            } else {
                lits.add(prefix(b));
            }
            for (String l : lits) {
                if (l.length() < MIN_LITERAL) {
                    return null;
                }
                out.add(l);
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    static boolean open(List<String> gate, String text) {
        if (gate == null) {
            return true;
        }
        for (String l : gate) {
            if (text.contains(l)) {
                return true;
            }
        }
        return false;
    }

    private static String skipBoundaries(String s) {
        String t = s;
        while (t.startsWith("\\b")) {
            t = t.substring(2);
        }
        return t;
    }

    /** The literal run at the start of a regex fragment, cut before a char a quantifier may make optional. */
    private static String prefix(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean literal = Character.isLetterOrDigit(c) || c == ' ' || c == '\'' || c == '-' || c == ':' || c == '/';
            if (!literal) {
                break;
            }
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (next == '?' || next == '*' || next == '{') {
                break;
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** Splits on top-level '|' (outside groups and classes). */
    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean inClass = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '|' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    private static int closing(String s, int open) {
        int depth = 0;
        boolean inClass = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
