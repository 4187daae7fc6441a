package dev.switchboard.app.runs;

import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Parses the {@code timeout} of a run request: milliseconds, {@code "30s"}-style or ISO-8601 durations. */
final class RunTimeouts {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");

    private RunTimeouts() {
    }

    /**
     * @return the duration, or null when absent
     * @throws ApiException 422 {@code invalid-fields} naming {@code timeout} when malformed or not positive
     */
    static Duration parse(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        Duration d = null;
        if (value.isIntegralNumber()) {
            d = Duration.ofMillis(value.longValue());
        } else if (value.isString()) {
            d = parse(value.asString().strip().toLowerCase(Locale.ROOT));
        }
        if (d == null || d.isNegative() || d.isZero()) {
            throw ApiException.invalidFields("The request is invalid", List.of(new FieldProblem("timeout", "invalid",
                    "timeout must be a positive number of milliseconds or a duration such as \"30s\", \"5m\" or \"PT1H\"")));
        }
        return d;
    }

    private static Duration parse(String text) {
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
