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
