package dev.switchboard.engine.internal.policy;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Phone numbers. First through Google's libphonenumber: international numbers ({@code +14155552671},
 * {@code +44 20 7946 0958}) for every country and national forms ({@code (415) 555-2671},
 * {@code 020 7946 0958}) for the configured regions, where the number is valid for that numbering
 * plan ({@code Leniency.VALID} keeps dates, order numbers and prices out). Then, since a redactor
 * should rather over- than under-redact, numbers that are unmistakably written as phone numbers but
 * not assigned ({@code 123-456-7890}, {@code +1 555 010 0199}): the North American 3-3-4 shape with
 * separators (NANP regions), international {@code +} numbers of 8–15 digits, and 7-digit local
 * numbers right after a word like "call" or "phone".
 */
final class PhoneFinder implements PiiFinder {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final String NOT_BEFORE = "(?<![\\p{L}\\p{N}_.\\-/+])";
    private static final String NOT_AFTER = "(?![\\p{L}\\p{N}_]|[.\\-/]\\d)";
    private static final Pattern NANP_SHAPE = Pattern.compile(NOT_BEFORE
            + "(?:\\+?1[ .\\-]?)?(?:\\(\\d{3}\\)[ .\\-]?|\\d{3}[ .\\-])\\d{3}[ .\\-]\\d{4}(?:\\s?(?:x|ext\\.?|extension)\\s?\\d{1,5})?" + NOT_AFTER);
    private static final Pattern PLUS_SHAPE = Pattern.compile(
            "(?<![\\p{L}\\p{N}_])\\+\\d{1,3}(?:[ .\\-]?\\(?\\d{1,5}\\)?){1,6}" + NOT_AFTER);
    private static final Pattern LOCAL_7 = Pattern.compile(
            "(?i)\\b(?:call|phone|tel|telephone|cell|mobile|text|reach|contact|fax|dial|number|ph)\\b[^\\p{N}\\n]{0,20}?"
                    + NOT_BEFORE + "([2-9]\\d{2}[ .\\-]\\d{4})" + NOT_AFTER);
    private static final List<String> NANP = List.of("US", "CA", "PR", "GU", "VI", "AS", "MP", "BS", "BB", "JM", "TT", "DO");

    private final List<String> regions;
    private final boolean nanp;

    /** @param regions ISO 3166-1 alpha-2 codes whose national number forms are recognised */
    PhoneFinder(List<String> regions) {
        this.regions = List.copyOf(regions);
        this.nanp = regions.stream().anyMatch(NANP::contains);
    }

    static boolean isSupportedRegion(String region) {
        return UTIL.getSupportedRegions().contains(region);
    }

    @Override
    public PiiType type() {
        return PiiType.PHONE;
    }

    @Override
    public void find(String text, List<Finding> out) {
        if (!hasEnoughDigits(text)) {
            return;
        }
        List<Finding> found = new ArrayList<>();
        for (String region : regions) {
            for (PhoneNumberMatch m : UTIL.findNumbers(text, region, PhoneNumberUtil.Leniency.VALID, Long.MAX_VALUE)) {
                if (m.rawString().startsWith("+") || plausibleNational(text, m.start(), m.rawString())) {
                    add(found, m.start(), m.end());
                }
            }
        }
        if (nanp) {
            Matcher m = NANP_SHAPE.matcher(text);
            while (m.find()) {
                if (!NearbyWords.precededBy(text, m.start(), NearbyWords.NOT_A_PHONE, 40)) {
                    add(found, m.start(), m.end());
                }
            }
            Matcher l = LOCAL_7.matcher(text);
            while (l.find()) {
                add(found, l.start(1), l.end(1));
            }
        }
        Matcher p = PLUS_SHAPE.matcher(text);
        while (p.find()) {
            long digits = p.group().chars().filter(Character::isDigit).count();
            if (digits >= 8 && digits <= 15) {
                add(found, p.start(), p.end());
            }
        }
        found.sort(Comparator.comparingInt(Finding::start));
        out.addAll(found);
    }

    /**
     * A number written without a country code is a phone number only if it has at least 7 digits
     * and is not introduced as some other identifier ("Account 0532013000", "Invoice 2024-000123")
     * or the tail of a printed IBAN.
     */
    private static boolean plausibleNational(String text, int start, String raw) {
        long digits = raw.chars().filter(Character::isDigit).count();
        boolean glued = start > 0 && (text.charAt(start - 1) == '-' || Character.isLetter(text.charAt(start - 1)));
        return digits >= 7 && !glued && !NearbyWords.precededBy(text, start, NearbyWords.NOT_A_PHONE, 40)
                && !NearbyWords.precededBy(text, start, NearbyWords.IBAN_PREFIX, 40);
    }

    private static void add(List<Finding> found, int start, int end) {
        Finding f = Finding.span(PiiType.PHONE.wireName(), start, end);
        if (found.stream().noneMatch(f::overlaps)) {
            found.add(f);
        }
    }

    /** Cheap pre-check: no phone number has fewer than 7 digits. */
    private static boolean hasEnoughDigits(String text) {
        int digits = 0;
        for (int i = 0; i < text.length() && digits < 7; i++) {
            if (Character.isDigit(text.charAt(i))) {
                digits++;
            }
        }
        return digits >= 7;
    }
}
