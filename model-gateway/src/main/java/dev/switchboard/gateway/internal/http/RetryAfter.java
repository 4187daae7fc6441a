package dev.switchboard.gateway.internal.http;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a provider asked us to wait, from (in order of preference) {@code retry-after-ms} (OpenAI/Azure),
 * {@code Retry-After} (seconds or HTTP date), OpenAI's {@code x-ratelimit-reset-requests/-tokens}
 * ({@code 6m0s}, {@code 20ms}) and Anthropic's {@code anthropic-ratelimit-*-reset} (RFC 3339 instants).
 */
public final class RetryAfter {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private RetryAfter() {
    }

    public static Optional<Duration> from(HttpHeaders headers, Clock clock) {
        Optional<Duration> ms = headers.firstValue("retry-after-ms").flatMap(RetryAfter::millis);
        if (ms.isPresent()) {
            return ms;
        }
        Optional<Duration> ra = headers.firstValue("retry-after").flatMap(v -> secondsOrDate(v, clock));
        if (ra.isPresent()) {
            return ra;
        }
        Duration longest = null;
        for (String h : new String[] {"x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"}) {
            Optional<Duration> d = headers.firstValue(h).flatMap(RetryAfter::goDuration);
            if (d.isPresent() && (longest == null || d.get().compareTo(longest) > 0)) {
                longest = d.get();
            }
        }
        for (String h : new String[] {"anthropic-ratelimit-requests-reset", "anthropic-ratelimit-tokens-reset"}) {
            Optional<Duration> d = headers.firstValue(h).flatMap(v -> instant(v, clock));
            if (d.isPresent() && (longest == null || d.get().compareTo(longest) > 0)) {
                longest = d.get();
            }
        }
        return Optional.ofNullable(longest);
    }

    private static Optional<Duration> millis(String v) {
        try {
            double d = Double.parseDouble(v.strip());
            return d >= 0 ? Optional.of(Duration.ofNanos((long) (d * 1_000_000))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<Duration> secondsOrDate(String v, Clock clock) {
        String s = v.strip();
        try {
            double secs = Double.parseDouble(s);
            return secs >= 0 ? Optional.of(Duration.ofMillis((long) (secs * 1000))) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(nonNegative(Duration.between(clock.instant(), at)));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    static Optional<Duration> goDuration(String v) {
        Matcher m = GO_DURATION.matcher(v.strip());
        long nanos = 0;
        int end = 0;
        boolean any = false;
        while (m.find()) {
            if (m.start() != end) {
                return Optional.empty();
            }
            double n = Double.parseDouble(m.group(1));
            nanos += (long) switch (m.group(2)) {
                case "h" -> n * 3_600e9;
                case "m" -> n * 60e9;
                case "s" -> n * 1e9;
                default -> n * 1e6;
            };
            end = m.end();
            any = true;
        }
        return any && end == v.strip().length() ? Optional.of(Duration.ofNanos(nanos)) : Optional.empty();
    }

    private static Optional<Duration> instant(String v, Clock clock) {
        try {
            Instant at = OffsetDateTime.parse(v.strip()).toInstant();
            return Optional.of(nonNegative(Duration.between(clock.instant(), at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
