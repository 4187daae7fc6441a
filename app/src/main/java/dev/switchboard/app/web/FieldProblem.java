package dev.switchboard.app.web;

/**
 * One invalid field of a request, e.g. {@code {"field": "inputs.text", "code": "required",
 * "message": "text is required"}}.
 */
public record FieldProblem(String field, String code, String message) {
    public FieldProblem {
        if (field == null || code == null || message == null) {
            throw new IllegalArgumentException("field, code and message are required");
        }
    }
}
