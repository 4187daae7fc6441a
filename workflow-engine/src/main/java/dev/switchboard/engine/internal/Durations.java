package dev.switchboard.engine.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Durations in node config: milliseconds as a number, ISO-8601 ({@code "PT30S"}) or {@code "500ms"/"30s"/"2m"/"1h"}. */
final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private Durations() {
    }

    /** @throws IllegalArgumentException with a user-facing message */
    static Duration parse(JsonNode node) {
        if (node.isIntegralNumber()) {
            long ms = node.asLong();
            if (ms < 1) {
                throw new IllegalArgumentException("must be at least 1 millisecond");
            }
            return Duration.ofMillis(ms);
        }
        if (!node.isString()) {
            throw new IllegalArgumentException("must be milliseconds (a number) or a duration like \"30s\" or \"PT30S\"");
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
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(text.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + node.asString() + "\" is not a duration; use e.g. \"30s\", \"500ms\" or \"PT30S\"");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
        return d;
    }
}
