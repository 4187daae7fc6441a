package dev.switchboard.engine.internal.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One thing a detector found. Offsets are UTF-16 indices into the checked text ({@code end}
 * exclusive), as JavaScript and Java count them; {@code start == end == -1} for findings about the
 * text as a whole (a length limit, a judge verdict). {@code detail} holds what explains the match
 * (the blocklist term, the pattern, the rule) and never the matched text itself.
 */
record Finding(String type, int start, int end, Map<String, Object> detail) {

    Finding {
        Objects.requireNonNull(type, "type");
        detail = detail == null || detail.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    static Finding span(String type, int start, int end) {
        return new Finding(type, start, end, Map.of());
    }

    static Finding whole(String type, Map<String, Object> detail) {
        return new Finding(type, -1, -1, detail);
    }

    boolean hasSpan() {
        return start >= 0;
    }

    boolean overlaps(Finding o) {
        return hasSpan() && o.hasSpan() && start < o.end && o.start < end;
    }

    /** The wire form in {@code flags}: {@code {type, start, end, ...detail, action[, placeholder]}}. */
    Map<String, Object> toFlag(String action, String placeholder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        if (hasSpan()) {
            m.put("start", start);
            m.put("end", end);
        }
        m.putAll(detail);
        m.put("action", action);
        if (placeholder != null) {
            m.put("placeholder", placeholder);
        }
        return m;
    }
}
