package dev.switchboard.app.share;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * How each {@link Refusal} looks: an HTML page in plain words for browsers, RFC 9457
 * problem+json (with the house {@code code} member) for programs. The not-found answer is the
 * same bytes for every token, so it tells nothing about which tokens exist or existed.
 */
final class ShareRefusals {

    private static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

    private ShareRefusals() {
    }

    static ResponseEntity<?> render(Refusal refusal, HttpServletRequest request, boolean html, SharePages pages,
            String back) {
        HttpStatus status = HttpStatus.valueOf(refusal.status());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (refusal instanceof Refusal.RateLimited limited) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds(limited)));
        }
        if (html) {
            return response.contentType(HTML).body(page(refusal, pages, back));
        }
        return response.contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem(refusal, request));
    }

    static ResponseEntity<?> internalError(String errorId, boolean html, SharePages pages) {
        if (html) {
            return ResponseEntity.internalServerError().contentType(HTML).body(pages.message("Something went wrong",
                    "Something went wrong", "Please try again in a moment. If it keeps happening, tell the person who "
                            + "shared this link (error " + errorId + ").", null));
        }
        ProblemDetail p = problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "Something went wrong on our side; the error was logged as " + errorId);
        p.setProperty("errorId", errorId);
        return ResponseEntity.internalServerError().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    /** An {@link dev.switchboard.app.web.ApiException} from the run machinery, with its own status. */
    static ResponseEntity<?> serviceError(dev.switchboard.app.web.ApiException e, boolean html, SharePages pages) {
        if (html) {
            return ResponseEntity.status(e.status()).contentType(HTML).body(pages.message("Something went wrong",
                    "Something went wrong", "Please try again in a moment.", null));
        }
        ProblemDetail p = problem(e.status(), e.code(), e.title(), e.getMessage());
        e.properties().forEach(p::setProperty);
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static String page(Refusal refusal, SharePages pages, String back) {
        return switch (refusal) {
            case Refusal.NotFound n -> pages.message("Link not available", "This link isn’t available",
                    "It may be mistyped, expired, or switched off by the person who shared it.", null);
            case Refusal.PasscodeRequired p -> pages.passcode(tokenOf(back), p.wrongPasscode());
            case Refusal.RateLimited r -> pages.message("Too many requests", "Too many requests",
                    "Please wait " + seconds(r) + (seconds(r) == 1 ? " second" : " seconds") + " and try again.", back);
            case Refusal.TooLarge t -> pages.message("Too much input", "That’s too much input",
                    "The form sent more than " + kilobytes(t.limit()) + ". Please shorten your input and try again.", back);
            case Refusal.UnsupportedMediaType u -> pages.message("Request not accepted", "This request can’t be handled",
                    "Please use the form on the app's page.", back);
            case Refusal.NotAccepted n -> pages.message("Request not accepted", "This request can’t be handled",
                    n.detail() + (n.problems().isEmpty() ? "." : ": " + String.join(" ",
                            n.problems().stream().map(fp -> fp.message() + ".").toList())), back);
        };
    }

    private static ProblemDetail problem(Refusal refusal, HttpServletRequest request) {
        ProblemDetail p = switch (refusal) {
            case Refusal.NotFound n -> problem(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "This share link does not exist, expired or was revoked");
            case Refusal.PasscodeRequired pr -> problem(HttpStatus.FORBIDDEN, pr.wrongPasscode() ? "wrong-passcode"
                    : "passcode-required", "Passcode required", pr.wrongPasscode() ? "The passcode is not right"
                    : "This share link needs a passcode: send it in the " + ShareAccess.PASSCODE_HEADER + " header");
            case Refusal.RateLimited r -> {
                ProblemDetail d = problem(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                        "Too many requests; try again in " + seconds(r) + " s");
                d.setProperty("retryAfterSeconds", seconds(r));
                yield d;
            }
            case Refusal.TooLarge t -> problem(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
                    "The request body is larger than the limit of " + t.limit() + " bytes");
            case Refusal.UnsupportedMediaType u -> problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Unsupported media type", "Send application/json ({\"inputs\": {...}}) or a form post");
            case Refusal.NotAccepted n -> {
                ProblemDetail d = problem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-fields", n.detail(),
                        n.problems().size() + (n.problems().size() == 1 ? " field is" : " fields are") + " invalid");
                if (n.problems().isEmpty()) {
                    d.setDetail(n.detail());
                }
                d.setProperty("errors", n.problems());
                yield d;
            }
        };
        // never echo the token: a not-found answer must not differ between tokens
        p.setInstance(URI.create(request.getRequestURI().replaceAll("^/s/[^/]+", "/s/_")));
        return p;
    }

    private static ProblemDetail problem(HttpStatus status, String code, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("/problems/" + code));
        p.setTitle(title);
        p.setProperty("code", code);
        return p;
    }

    private static long seconds(Refusal.RateLimited r) {
        return Math.max(1, (r.retryAfter().toMillis() + 999) / 1000);
    }

    private static String kilobytes(long bytes) {
        return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MB" : (bytes / 1024) + " KB";
    }

    private static String tokenOf(String back) {
        return back == null ? "" : back.substring("/s/".length());
    }
}
