package dev.switchboard.app.runs;

import java.util.Locale;

/** How the caller waits for a run. */
public enum RunMode {
    /** The request waits and gets the result. */
    SYNC,
    /** 202 at once; the caller polls {@code GET /api/v1/runs/{id}}. */
    ASYNC,
    /** Server-sent events of node events and AI tokens, ending with the result. */
    STREAM;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunMode fromWireName(String value) {
        for (RunMode m : values()) {
            if (m.wireName().equalsIgnoreCase(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be one of sync, async, stream; was '" + value + "'");
    }
}
