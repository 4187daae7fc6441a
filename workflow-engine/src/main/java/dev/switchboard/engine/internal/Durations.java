package dev.switchboard.engine.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Durations in config: milliseconds as a number, ISO-8601 ({@code "PT30S"}) or a number with a
 * unit. Node settings ({@link #NODE}) take {@code ms, s, m, h}; review settings ({@link #WITH_DAYS})
 * also {@code d}, since reviews last hours to days. Immutable.
 */
public final class Durations {

    /** Node timeouts and retry backoffs: {@code "500ms"}, {@code "30s"}, {@code "2m"}, {@code "1h"}. */
    public static final Durations NODE = new Durations("ms|s|m|h",
            "must be milliseconds (a number) or a duration like \"30s\" or \"PT30S\"", "\"30s\", \"500ms\" or \"PT30S\"");

    /** Review timeouts: the node forms plus days ({@code "7d"}, {@code "P2D"}). */
    public static final Durations WITH_DAYS = new Durations("ms|s|m|h|d",
            "must be a duration like \"30m\", \"24h\", \"7d\" or \"PT24H\"", "\"30m\", \"24h\", \"7d\" or \"PT24H\"");

    private final Pattern shortForm;
    private final String notAStringMessage;
    private final String examples;

    private Durations(String units, String notAStringMessage, String examples) {
        this.shortForm = Pattern.compile("(\\d{1,9})\\s*(" + units + ")");
        this.notAStringMessage = notAStringMessage;
        this.examples = examples;
    }

    /** @throws IllegalArgumentException with a user-facing message that completes "The timeout ..." */
    public Duration parse(JsonNode node) {
        if (node.isIntegralNumber()) {
            long ms = node.asLong();
            if (ms < 1) {
                throw new IllegalArgumentException("must be at least 1 millisecond");
            }
            return Duration.ofMillis(ms);
        }
        if (!node.isString()) {
            throw new IllegalArgumentException(notAStringMessage);
        }
        String text = node.asString().strip().toLowerCase(Locale.ROOT);
        Matcher m = shortForm.matcher(text);
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
                throw new IllegalArgumentException("\"" + node.asString() + "\" is not a duration; use e.g. " + examples);
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be longer than zero");
        }
        return d;
    }
}
