package dev.switchboard.app.runs;

import java.util.Locale;

/** What started a run; shown and filterable in the run list. */
public enum RunSource {
    /** The authenticated REST API. */
    API,
    /** A public share page. */
    SHARE,
    /** A Twilio SMS webhook. */
    TWILIO,
    /** An app test suite. */
    TEST;

    /**
     * Whether a full queue may refuse this source's async runs (429 + Retry-After). A Twilio
     * webhook may not: Twilio does not retry a messaging webhook that answered 4xx/5xx, so a
     * refused message would be lost. Its run is one more row in the queue table (no memory grows),
     * and the number of such deliveries is bounded by the phone number's own throughput.
     */
    public boolean refusableWhenQueueFull() {
        return switch (this) {
            case API, SHARE, TEST -> true;
            case TWILIO -> false;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunSource fromWireName(String value) {
        for (RunSource s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("source must be one of api, share, twilio, test; was '" + value + "'");
    }
}
