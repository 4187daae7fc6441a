package dev.switchboard.engine.internal.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payment card numbers (PANs): 12–19 digits, written solid or in groups separated by single spaces
 * or dashes, that pass the Luhn check and start with an issuer prefix whose length rules they meet
 * (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro, Mir, RuPay). A long digit run
 * is not searched inside: a 22-digit reference number holds no card.
 */
final class CardFinder implements PiiFinder {

    /** Digit groups joined by single separators, not touching other digits or letters. */
    private static final Pattern CANDIDATE = Pattern.compile("(?<![\\p{L}\\p{N}_.,/-])\\d++(?:[ \\-]\\d++)*+(?![\\p{L}\\p{N}_]|[.,/]\\d)");

    @Override
    public PiiType type() {
        return PiiType.CREDIT_CARD;
    }

    @Override
    public void find(String text, List<Finding> out) {
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            if (m.end() - m.start() >= 12 && !NearbyWords.precededBy(text, m.start(), NearbyWords.IBAN_PREFIX, 40)) {
                scan(text, m.start(), m.end(), out);
            }
        }
    }

    /** Tries windows of whole groups, longest valid first, left to right. */
    private static void scan(String text, int from, int to, List<Finding> out) {
        List<int[]> groups = new ArrayList<>();
        int i = from;
        while (i < to) {
            int s = i;
            while (i < to && Character.isDigit(text.charAt(i))) {
                i++;
            }
            groups.add(new int[] {s, i});
            i++; // separator
        }
        int g = 0;
        while (g < groups.size()) {
            int best = -1;
            int digits = 0;
            for (int e = g; e < groups.size(); e++) {
                digits += groups.get(e)[1] - groups.get(e)[0];
                if (digits > 19) {
                    break;
                }
                if (digits >= 12 && isCard(digitsOf(text, groups.get(g)[0], groups.get(e)[1]))) {
                    best = e;
                }
            }
            if (best >= 0) {
                out.add(Finding.span(PiiType.CREDIT_CARD.wireName(), groups.get(g)[0], groups.get(best)[1]));
                g = best + 1;
            } else {
                g++;
            }
        }
    }

    private static String digitsOf(String text, int from, int to) {
        StringBuilder sb = new StringBuilder(19);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static boolean isCard(String pan) {
        return brandAccepts(pan) && luhn(pan);
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean dbl = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (dbl) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /** Issuer identification number ranges and the lengths each network issues. */
    private static boolean brandAccepts(String pan) {
        int len = pan.length();
        int p1 = pan.charAt(0) - '0';
        int p2 = Integer.parseInt(pan.substring(0, 2));
        int p3 = Integer.parseInt(pan.substring(0, 3));
        int p4 = Integer.parseInt(pan.substring(0, 4));
        int p6 = Integer.parseInt(pan.substring(0, 6));
        if (p1 == 4) {
            return len == 13 || len == 16 || len == 19; // Visa
        }
        if (p2 >= 51 && p2 <= 55 || p4 >= 2221 && p4 <= 2720) {
            return len == 16; // Mastercard
        }
        if (p2 == 34 || p2 == 37) {
            return len == 15; // American Express
        }
        if (p4 >= 2200 && p4 <= 2204) {
            return len >= 16 && len <= 19; // Mir
        }
        if (p4 == 6011 || p3 >= 644 && p3 <= 649 || p2 == 65 || p6 >= 622126 && p6 <= 622925) {
            return len >= 16 && len <= 19; // Discover
        }
        if (p4 >= 3528 && p4 <= 3589) {
            return len >= 16 && len <= 19; // JCB
        }
        if (p3 >= 300 && p3 <= 305 || p4 == 3095 || p2 == 36 || p2 == 38 || p2 == 39) {
            return len >= 14 && len <= 19; // Diners Club
        }
        if (p2 == 62) {
            return len >= 16 && len <= 19; // UnionPay
        }
        if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759 || p4 >= 6761 && p4 <= 6763) {
            return len >= 12 && len <= 19; // Maestro
        }
        if (p2 == 60 || p2 == 81 || p2 == 82 || p3 == 508) {
            return len == 16; // RuPay
        }
        return false;
    }
}
