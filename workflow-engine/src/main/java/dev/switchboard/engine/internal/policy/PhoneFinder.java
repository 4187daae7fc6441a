package dev.switchboard.engine.internal.policy;

import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Phone numbers through Google's libphonenumber: international numbers in E.164 and spaced forms
 * ({@code +14155552671}, {@code +44 20 7946 0958}) for every country, and national forms
 * ({@code (415) 555-2671}, {@code 020 7946 0958}) for the configured default regions. Only numbers
 * that are valid for their region's numbering plan count ({@code Leniency.VALID}), which keeps
 * dates, order numbers and prices out.
 */
final class PhoneFinder implements PiiFinder {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private final List<String> regions;

    /** @param regions ISO 3166-1 alpha-2 codes whose national number forms are recognised */
    PhoneFinder(List<String> regions) {
        this.regions = List.copyOf(regions);
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
                Finding f = Finding.span(PiiType.PHONE.wireName(), m.start(), m.end());
                if (found.stream().noneMatch(f::overlaps)) {
                    found.add(f);
                }
            }
        }
        found.sort(java.util.Comparator.comparingInt(Finding::start));
        out.addAll(found);
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
