package dev.switchboard.engine.internal.policy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP addresses: dotted-quad IPv4 (each part 0–255, no leading zeros; a trailing port or /prefix is
 * left out of the span) and IPv6 in full, compressed ({@code ::}) and IPv4-embedded forms. Not
 * matched: versions introduced by "v"/"version", OIDs and longer dotted numbers, clock times
 * ({@code 12:30:45}), MAC addresses, {@code Foo::Bar} scopes (an IPv6 candidate needs a digit).
 */
final class IpFinder implements PiiFinder {

    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern V4 = Pattern.compile(
            "(?<![\\p{L}\\p{N}_.\\-])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\p{N}_]|\\.\\d|[\\p{L}])");
    private static final Pattern VERSION_BEFORE = Pattern.compile("(?i)(?:\\bv|\\bversion\\s?|\\bver\\.?\\s?|\\brelease\\s)$");
    private static final Pattern V6 = Pattern.compile(
            "(?<![\\p{L}\\p{N}_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|" + OCTET + "(?:\\." + OCTET + "){3})?(?![\\p{L}\\p{N}_:]|\\.\\d)");

    @Override
    public PiiType type() {
        return PiiType.IP_ADDRESS;
    }

    @Override
    public void find(String text, List<Finding> out) {
        if (text.indexOf('.') >= 0) {
            Matcher m = V4.matcher(text);
            while (m.find()) {
                String before = text.substring(Math.max(0, m.start() - 9), m.start());
                if (!VERSION_BEFORE.matcher(before).find() && !NearbyWords.precededBy(text, m.start(), NearbyWords.NOT_AN_IP, 30)) {
                    out.add(Finding.span(PiiType.IP_ADDRESS.wireName(), m.start(), m.end()));
                }
            }
        }
        if (text.indexOf(':') >= 0) {
            Matcher m = V6.matcher(text);
            while (m.find()) {
                if (isIpv6(m.group()) && out.stream().noneMatch(f -> f.start() < m.end() && m.start() < f.end())) {
                    out.add(Finding.span(PiiType.IP_ADDRESS.wireName(), m.start(), m.end()));
                }
            }
            out.sort(java.util.Comparator.comparingInt(Finding::start));
        }
    }

    /** Strict RFC 4291 text form check; also requires a digit so that words like "face::bead" don't count. */
    static boolean isIpv6(String s) {
        if (s.chars().noneMatch(Character::isDigit)) {
            return false;
        }
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return false;
        }
        if (s.equals("::")) {
            return false;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int groups = 0;
        String[] parts = head.isEmpty() ? new String[0] : head.split(":", -1);
        String[] tparts = tail.isEmpty() ? new String[0] : tail.split(":", -1);
        boolean v4Tail = false;
        for (int i = 0; i < parts.length + tparts.length; i++) {
            boolean inHead = i < parts.length;
            String p = inHead ? parts[i] : tparts[i - parts.length];
            boolean last = i == parts.length + tparts.length - 1;
            if (last && p.indexOf('.') >= 0) {
                if (!p.matches(OCTET + "(?:\\." + OCTET + "){3}")) {
                    return false;
                }
                v4Tail = true;
                groups += 2;
                continue;
            }
            if (!p.matches("[0-9A-Fa-f]{1,4}")) {
                return false;
            }
            groups++;
        }
        if (dbl >= 0) {
            return groups <= 7 && (groups >= 1 || v4Tail);
        }
        return groups == 8;
    }
}
