package dev.switchboard.engine.internal.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Durations in policy config: milliseconds as a number, ISO-8601 ({@code "PT24H"}, {@code "P2D"}) or
 * {@code "30s"}, {@code "15m"}, {@code "24h"}, {@code "7d"} — the engine's forms plus days, since
 * reviews last hours to days.
 */
final class ConfigDurations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    private ConfigDurations() {
    }

    /** @throws IllegalArgumentException with a message that completes "The timeout ..." */
    static Duration parse(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (node.asLong() < 1) {
                throw new IllegalArgumentException("must be at least 1 millisecond");
            }
            return Duration.ofMillis(node.asLong());
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("must be a duration like \"30m\", \"24h\", \"7d\" or \"PT24H\"");
        }
        String text = node.asString().strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(text);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + node.asString() + "\" is not a duration; use e.g. \"30m\", \"24h\", \"7d\" or \"PT24H\"");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
        return d;
    }
}
