package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A directed edge {@code {"from": "a", "to": "b", "when": "true"}}.
 *
 * <p>{@code when} is null for an unconditional edge; {@code "true"}/{@code "false"} on edges
 * leaving a {@code condition} node; {@code "error"} on edges followed when the source node fails
 * and its config says {@code "onError": "edge"}. Node kinds added later may define other labels.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeDefinition(String from, String to, String when) {

    public static final String WHEN_TRUE = "true";
    public static final String WHEN_FALSE = "false";
    public static final String WHEN_ERROR = "error";

    public static EdgeDefinition of(String from, String to) {
        return new EdgeDefinition(from, to, null);
    }
}
