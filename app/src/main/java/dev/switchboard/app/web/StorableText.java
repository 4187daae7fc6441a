package dev.switchboard.app.web;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * PostgreSQL cannot store the NUL character: not in {@code text} (SQLState 22021) and not as the
 * {@code \u0000} escape in {@code jsonb} (22P05). Requests carrying one are refused with 422 (the
 * failed statement's transaction rolled back, so nothing was written); JSON the app writes itself
 * (run traces, model outputs) goes through {@link #jsonb} first.
 */
public final class StorableText {

    private static final Set<String> STATES = Set.of("22021", "22P05");

    private StorableText() {
    }

    /** True when {@code e} (or a cause) is PostgreSQL refusing a character it cannot store. */
    public static boolean isUnstorableCharacter(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static ApiException refusal() {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "unstorable-character", "Unstorable character",
                "The request contains a NUL character (\\u0000), which cannot be stored; remove it and send again",
                java.util.Map.of("errors", List.of()));
    }

    /**
     * JSON text made storable as {@code jsonb}: every {@code \u0000} escape becomes {@code \ufffd}
     * (the replacement character). Escaped backslashes are skipped correctly, so {@code "\\u0000"}
     * (a backslash followed by the letters u0000) is left alone. Linear time; the input is returned
     * as is when it has no such escape.
     */
    public static String jsonb(String json) {
        if (json == null || !json.contains("\\u0000")) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length());
        int i = 0;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == '\\' && i + 1 < json.length()) {
                if (json.startsWith("u0000", i + 1)) {
                    out.append("\\ufffd");
                    i += 6;
                } else {
                    out.append(c).append(json.charAt(i + 1));
                    i += 2;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
