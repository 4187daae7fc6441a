package dev.switchboard.app.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes problem+json from places MVC's exception handling does not reach (servlet filters, the
 * error page). Same members as {@link ProblemHandler}'s responses.
 */
@Component
public final class ProblemWriter {

    private final JsonMapper json;

    public ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        Map<String, Object> body = asMap(problem, request.getRequestURI());
        if (request.getRequestURI().startsWith("/v1/")) {
            body.put("error", openAiError(problem)); // OpenAI's SDKs read this member on the OpenAI-compatible API
        }
        json.writeValue(response.getOutputStream(), body);
    }

    /** OpenAI's {@code {message, type, param, code}} for a problem written outside MVC (e.g. a 401). */
    private static Map<String, Object> openAiError(ProblemDetail problem) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", problem.getDetail());
        error.put("type", switch (problem.getStatus()) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> problem.getStatus() >= 500 ? "server_error" : "invalid_request_error";
        });
        error.put("param", null);
        error.put("code", problem.getStatus() == 401 ? "invalid_api_key"
                : problem.getProperties() == null ? null : problem.getProperties().get("code"));
        return error;
    }

    /** 401 for a missing, malformed, unknown or revoked key; says which without naming the key. */
    public void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
        write(request, response, ProblemHandler.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail));
    }

    public void write(HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
        write(request, response, ProblemHandler.of(e));
    }

    static Map<String, Object> asMap(ProblemDetail problem, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", problem.getInstance() != null ? problem.getInstance().toString() : instance);
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }
}
