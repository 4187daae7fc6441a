package dev.switchboard.engine.internal.policy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US Social Security numbers: {@code AAA-GG-SSSS} or {@code AAA GG SSSS} anywhere, and nine solid
 * digits only right after words that announce one ("SSN", "social security number"). Numbers the
 * SSA never issues are ignored: area 000, 666 or 900–999 (ITINs and advertising numbers), group
 * 00, serial 0000.
 */
final class SsnFinder implements PiiFinder {

    private static final Pattern FORMATTED = Pattern.compile(
            "(?<![\\p{L}\\p{N}_\\-./])(\\d{3})([- ])(\\d{2})\\2(\\d{4})(?![\\p{L}\\p{N}_]|[-./]\\d)");
    private static final Pattern ANNOUNCED = Pattern.compile(
            "(?i)\\b(?:ssn|ss#|social\\s+security(?:\\s+(?:number|no\\.?|num|#))?|soc\\.?\\s*sec\\.?(?:\\s*(?:number|no\\.?|#))?)"
                    + "[\\s:#.\\-=is]{0,12}(\\d{9})(?!\\d)");

    @Override
    public PiiType type() {
        return PiiType.SSN;
    }

    @Override
    public void find(String text, List<Finding> out) {
        Matcher m = FORMATTED.matcher(text);
        while (m.find()) {
            if (valid(m.group(1), m.group(3), m.group(4))) {
                out.add(Finding.span(PiiType.SSN.wireName(), m.start(), m.end()));
            }
        }
        Matcher a = ANNOUNCED.matcher(text);
        while (a.find()) {
            String d = a.group(1);
            if (valid(d.substring(0, 3), d.substring(3, 5), d.substring(5))) {
                out.add(Finding.span(PiiType.SSN.wireName(), a.start(1), a.end(1)));
            }
        }
        out.sort(java.util.Comparator.comparingInt(Finding::start));
    }

    static boolean valid(String area, String group, String serial) {
        int a = Integer.parseInt(area);
        return a != 0 && a != 666 && a < 900 && !group.equals("00") && !serial.equals("0000");
    }
}
