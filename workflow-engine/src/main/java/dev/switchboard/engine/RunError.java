package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a run did not succeed.
 *
 * @param nodeId  the node that ended the run, or null (deadline, cancellation)
 * @param type    a short code: {@code timeout}, {@code model_error}, {@code invalid_input},
 *                {@code template_error}, {@code expression_error}, {@code blocked},
 *                {@code timed_out}, {@code cancelled}, {@code internal_error}, or a node kind's own
 * @param message for {@link RunStatus#BLOCKED} the configured user-facing message; otherwise a
 *                readable explanation (never a stack trace, never secrets)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunError(String nodeId, String type, String message) {
}
