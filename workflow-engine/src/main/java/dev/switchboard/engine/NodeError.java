package dev.switchboard.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A node attempt's failure.
 *
 * @param type      short code ({@code timeout}, {@code model_error}, {@code invalid_input},
 *                  {@code template_error}, {@code expression_error}, {@code internal_error}, ...)
 * @param message   readable explanation, shown in the trace and exposed to error edges
 * @param retriable whether another attempt may succeed; non-retriable errors skip remaining attempts
 */
public record NodeError(String type, String message, boolean retriable) {

    public NodeError {
        Objects.requireNonNull(type, "type");
        message = message == null ? type : message;
    }

    public static NodeError retriable(String type, String message) {
        return new NodeError(type, message, true);
    }

    public static NodeError permanent(String type, String message) {
        return new NodeError(type, message, false);
    }

    /** The {@code {message, type}} object exposed as {@code {{node.error}}} to error edges. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("message", message);
        m.put("type", type);
        return m;
    }
}
