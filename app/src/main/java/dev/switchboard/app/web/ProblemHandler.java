package dev.switchboard.app.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;

/**
 * Turns every exception that reaches MVC into RFC 9457 problem+json: a stable {@code type}
 * ({@code /problems/<code>}), a {@code code} member for programs, a human {@code detail}, and
 * never a stack trace or an internal class name. Unexpected exceptions are logged with an error
 * id that the 500 response repeats.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    static ProblemDetail problem(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("/problems/" + code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
    }

    static ProblemDetail of(ApiException e) {
        ProblemDetail problem = problem(e.status(), e.code(), e.title(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        return problem;
    }

    static ProblemDetail tooLarge(long limit) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
                "The request body is larger than the limit of " + limit + " bytes");
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException e) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        e.headers().forEach((name, value) -> response.header(name, value));
        return response.body(of(e));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception e, WebRequest request) {
        if (StorableText.isUnstorableCharacter(e)) {
            // PostgreSQL stores no NUL character (text or jsonb); the transaction rolled back, nothing was written
            return handleApi(StorableText.refusal());
        }
        String errorId = java.util.UUID.randomUUID().toString();
        log.error("Unexpected error {} on {}", errorId, request.getDescription(false), e);
        ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "Something went wrong on our side; the error was logged as " + errorId);
        problem.setProperty("errorId", errorId);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = findCause(e, BodyTooLargeException.class);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge.limit()));
        }
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "malformed-body",
                "Malformed request body", describeUnreadable(e)));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            errors.add(new FieldProblem(error.getField(), codeOf(error.getCode()),
                    error.getField() + " " + error.getDefaultMessage()));
        }
        e.getBindingResult().getGlobalErrors().forEach(error ->
                errors.add(new FieldProblem("", codeOf(error.getCode()), String.valueOf(error.getDefaultMessage()))));
        return handleApi(ApiException.invalidFields("The request is invalid", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error ->
                errors.add(new FieldProblem(result.getMethodParameter().getParameterName(),
                        codeOf(error.getCodes() == null || error.getCodes().length == 0 ? null : error.getCodes()[error.getCodes().length - 1]),
                        result.getMethodParameter().getParameterName() + " " + error.getDefaultMessage()))));
        return handleApi(ApiException.invalidFields("The request is invalid", errors));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        if (e instanceof MethodArgumentTypeMismatchException mismatch
                && mismatch.getParameter().hasParameterAnnotation(org.springframework.web.bind.annotation.PathVariable.class)) {
            // /api/v1/apps/not-a-uuid names no app that could exist
            return handleApi(ApiException.notFound(mismatch.getName().replace("Id", ""), e.getValue()));
        }
        String name = e.getPropertyName() == null ? "parameter" : e.getPropertyName();
        return handleApi(ApiException.badRequest("Parameter '" + name + "' has an invalid value: '" + e.getValue() + "'"));
    }

    /** Every other MVC exception (405, 415, 406, 404 of unknown paths ...): keep its status, add our members. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail given ? given
                : ProblemDetail.forStatusAndDetail(status, HttpStatus.valueOf(status.value()).getReasonPhrase());
        if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
            String code = codeFor(status);
            problem.setType(URI.create("/problems/" + code));
            problem.setProperty("code", code);
        }
        return super.handleExceptionInternal(e, problem, headers, status, request);
    }

    static String codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "body-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "invalid-fields";
            case 503 -> "unavailable";
            default -> status.is5xxServerError() ? "internal-error" : "http-" + status.value();
        };
    }

    private static String codeOf(String constraint) {
        if (constraint == null) {
            return "invalid";
        }
        return switch (constraint) {
            case "NotNull", "NotBlank", "NotEmpty" -> "required";
            case "Size", "Max", "Min", "Positive", "PositiveOrZero" -> "out-of-range";
            case "Pattern" -> "pattern";
            default -> "invalid";
        };
    }

    private static String describeUnreadable(HttpMessageNotReadableException e) {
        StreamReadException parse = findCause(e, StreamReadException.class);
        if (parse != null) {
            var location = parse.getLocation();
            String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return "The body is not valid JSON" + where + ": " + firstLine(parse.getOriginalMessage());
        }
        DatabindException bind = findCause(e, DatabindException.class);
        if (bind != null) {
            String path = JsonPaths.of(bind);
            return path.isEmpty() ? "The body does not have the expected shape"
                    : "Field '" + path + "' has the wrong type or shape";
        }
        JacksonException other = findCause(e, JacksonException.class);
        if (other != null) {
            return "The body could not be read as JSON";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("Required request body is missing")) {
            return "A JSON request body is required";
        }
        return "The request body could not be read";
    }

    /** Jackson's message without its source-location suffix, at most 160 characters. */
    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String text = message;
        for (String cut : new String[] {"\n", " (start marker", " at [Source"}) {
            int i = text.indexOf(cut);
            if (i >= 0) {
                text = text.substring(0, i);
            }
        }
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }

    static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
