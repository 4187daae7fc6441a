package dev.switchboard.engine.internal.policy;

import java.util.regex.Pattern;

/**
 * What comes right before a candidate number, for finders that must tell a phone number from an
 * account, invoice or section number written the same way.
 */
final class NearbyWords {

    /** Labels that introduce an identifier that is not a phone number. */
    static final Pattern NOT_A_PHONE = Pattern.compile("(?i)\\b(?:account|acct|a/c|invoice|inv|order|ticket|case|serial|s/n|"
            + "routing|aba|isbn|issn|tax|vat|company|reference|ref|id|iban|bic|swift|sort code|blz|po|part|p/n|sku|batch|lot|"
            + "tracking|release|version|build|chapter|section|coordinates|lat|latitude|lon|longitude|policy|member|customer|"
            + "employee|student|patient|zip|postcode|isin|ean|upc|imei|passport|licen[cs]e)\\b"
            + "(?:\\s+(?:number|no|nr|num|code|id))?\\b[^\\p{L}\\n]{0,16}$");

    /** Labels of dotted numbers that are not IP addresses. */
    static final Pattern NOT_AN_IP = Pattern.compile("(?i)\\b(?:chapter|section|sect|§|clause|article|art|step|figure|fig|table|"
            + "version|ver|release|build|rule|paragraph|para|item|oid|spec)\\b[^\\p{L}\\n]{0,16}$");

    /** The start of an IBAN in print ({@code NL44 RABO }) right before a candidate: what follows is its account part. */
    static final Pattern IBAN_PREFIX = Pattern.compile("\\b[A-Z]{2}\\d{2}(?:[ \\-][A-Z0-9]{1,4})*[ \\-]$");

    private NearbyWords() {
    }

    /** Whether the {@code window} characters before {@code start} end with a match of {@code label}. */
    static boolean precededBy(String text, int start, Pattern label, int window) {
        return label.matcher(text).region(Math.max(0, start - window), start).useTransparentBounds(true).find();
    }
}
