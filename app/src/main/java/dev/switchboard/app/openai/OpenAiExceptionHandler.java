package dev.switchboard.app.openai;

import dev.switchboard.app.web.BodyTooLargeException;
import dev.switchboard.gateway.GatewayException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the OpenAI-compatible endpoints in OpenAI's shape (see {@link OpenAiError}); the rest
 * of the API keeps the plain problem+json of {@code web.ProblemHandler}. Runs before it.
 */
@RestControllerAdvice(assignableTypes = OpenAiController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class OpenAiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OpenAiExceptionHandler.class);
    static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

    @ExceptionHandler(GatewayException.class)
    ResponseEntity<Object> gateway(GatewayException e, HttpServletRequest request) {
        return respond(OpenAiError.of(e), request);
    }

    @ExceptionHandler(OpenAiRequestException.class)
    ResponseEntity<Object> invalid(OpenAiRequestException e, HttpServletRequest request) {
        return respond(OpenAiError.invalid(e.param(), e.getMessage()), request);
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<Object> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return respond(OpenAiError.of(413, "invalid_request_error", "body_too_large", "Request body too large",
                "The request body is larger than the limit of " + e.limit() + " bytes"), request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Object> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return respond(OpenAiError.of(405, "invalid_request_error", "method_not_allowed", "Method not allowed",
                "this endpoint does not support " + e.getMethod()), request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Object> unsupported(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(OpenAiError.of(415, "invalid_request_error", "unsupported_media_type", "Unsupported media type",
                "send the request body as JSON with Content-Type: application/json"), request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Object> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(OpenAiError.of(406, "invalid_request_error", "not_acceptable", "Not acceptable",
                "this endpoint answers application/json or text/event-stream"), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, HttpServletRequest request) {
        String errorId = UUID.randomUUID().toString();
        log.error("Unexpected error {} on {} {}", errorId, request.getMethod(), request.getRequestURI(), e);
        return respond(OpenAiError.of(500, "server_error", "internal_error", "Internal error",
                "Something went wrong on our side; the error was logged as " + errorId), request);
    }

    static ResponseEntity<Object> respond(OpenAiError error, HttpServletRequest request) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(error.status()).contentType(PROBLEM_JSON)
                .header("x-should-retry", Boolean.toString(error.retry()));
        if (error.retryAfter() != null) {
            long seconds = Math.max(1, (error.retryAfter().toMillis() + 999) / 1000);
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        }
        return response.body(error.body(request.getRequestURI()));
    }
}
