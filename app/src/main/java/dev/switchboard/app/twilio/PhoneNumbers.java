package dev.switchboard.app.twilio;

import java.util.regex.Pattern;

/** Phone number spelling: what Twilio sends ({@code +14155550100}) is what we store and compare. */
final class PhoneNumbers {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern SHORT_CODE = Pattern.compile("[0-9]{3,8}");
    private static final Pattern DECORATION = Pattern.compile("[\\s().\\-\\u00A0]");

    private PhoneNumbers() {
    }

    /**
     * Drops spaces, dots, dashes and parentheses people write into numbers
     * ({@code "+1 (415) 555-0100"} → {@code "+14155550100"}); anything else is kept as it is, so
     * Twilio, not we, decides whether an odd recipient is valid. Null stays null.
     */
    static String normalize(String number) {
        if (number == null) {
            return null;
        }
        String stripped = number.strip();
        String compact = DECORATION.matcher(stripped).replaceAll("");
        return compact.matches("\\+?[0-9]+") ? compact : stripped;
    }

    /** A number we can send from: E.164 ({@code +14155550100}) or a short code ({@code 12345}). */
    static boolean isSender(String number) {
        return number != null && (E164.matcher(number).matches() || SHORT_CODE.matcher(number).matches());
    }
}
