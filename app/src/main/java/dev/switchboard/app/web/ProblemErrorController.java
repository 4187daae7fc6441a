package dev.switchboard.app.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's error page: errors raised outside MVC (by the servlet container or a filter)
 * also answer problem+json, without exception details.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 500;
        HttpStatus httpStatus = HttpStatus.resolve(status);
        if (httpStatus == null) {
            httpStatus = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ProblemDetail problem = ProblemHandler.problem(httpStatus, ProblemHandler.codeFor(httpStatus),
                httpStatus.getReasonPhrase(), describe(httpStatus));
        return ResponseEntity.status(httpStatus)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemWriter.asMap(problem, uri == null ? null : uri.toString()));
    }

    private static String describe(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "No such resource";
            case BAD_REQUEST -> "The request could not be understood";
            case CONTENT_TOO_LARGE -> "The request body is too large";
            default -> status.is5xxServerError() ? "Something went wrong on our side" : status.getReasonPhrase();
        };
    }
}
