package dev.switchboard.app.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * An error a client caused or may see, rendered by {@link ProblemHandler} as RFC 9457
 * {@code application/problem+json}: {@code type = /problems/<code>}, {@code title},
 * {@code status}, {@code detail}, plus {@code code} and any extension members given here.
 *
 * <p>Thrown from services and controllers; a transactional service that throws it rolls back,
 * so a failed request writes nothing.
 */
public final class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final Map<String, Object> properties;
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String code, String title, String detail, Map<String, Object> properties) {
        this(status, code, title, detail, properties, Map.of());
    }

    private ApiException(HttpStatus status, String code, String title, String detail, Map<String, Object> properties,
            Map<String, String> headers) {
        super(detail, null, false, false);
        if (status == null || code == null || title == null) {
            throw new IllegalArgumentException("status, code and title are required");
        }
        this.status = status;
        this.code = code;
        this.title = title;
        this.properties = properties == null ? Map.of() : Map.copyOf(properties);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found",
                "No " + what + " with id '" + id + "' in this workspace", Map.of());
    }

    /** 422 listing every problem of a graph ({@code problems: [{nodeId, field, code, message}]}). */
    public static ApiException invalidGraph(List<?> problems) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-graph", "The graph is invalid",
                problems.size() + (problems.size() == 1 ? " problem" : " problems") + " found in the graph",
                Map.of("problems", problems));
    }

    /** 422 listing every invalid field ({@code errors: [{field, code, message}]}). */
    public static ApiException invalidFields(String title, List<FieldProblem> errors) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-fields", title,
                errors.size() + (errors.size() == 1 ? " field is" : " fields are") + " invalid",
                Map.of("errors", errors));
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail, Map.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict", detail, Map.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail, Map.of());
    }

    public ApiException with(String property, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(properties);
        copy.put(property, value);
        return new ApiException(status, code, title, getMessage(), copy, headers);
    }

    /** The same problem with a response header, e.g. {@code Retry-After} on 429/503. */
    public ApiException withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiException(status, code, title, getMessage(), properties, copy);
    }

    /** Response headers to send with the problem. */
    public Map<String, String> headers() {
        return headers;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return properties;
    }
}
