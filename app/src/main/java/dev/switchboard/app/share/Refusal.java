package dev.switchboard.app.share;

import dev.switchboard.app.web.FieldProblem;
import java.time.Duration;
import java.util.List;

/**
 * Why a share request is not served. The page controller renders each as an HTML page for
 * browsers and as problem+json for programs; every kind maps to exactly one status.
 */
sealed interface Refusal {

    /** Unknown, revoked or expired token, or an app without a published version: all look the same. */
    record NotFound() implements Refusal {
    }

    /** The link has a passcode and the request did not bring a valid one. */
    record PasscodeRequired(boolean wrongPasscode) implements Refusal {
    }

    record RateLimited(Duration retryAfter) implements Refusal {
    }

    record TooLarge(long limit) implements Refusal {
    }

    record UnsupportedMediaType(String contentType) implements Refusal {
    }

    /**
     * The body is not what a share link accepts: malformed, or carrying anything but the declared
     * inputs (a graph, a version, a model...). {@code problems} names each offending field.
     */
    record NotAccepted(String detail, List<FieldProblem> problems) implements Refusal {
    }

    /** Wraps a refusal so it can leave a handler; carries no stack trace (it is not a fault). */
    final class Refused extends RuntimeException {
        private final Refusal refusal;

        Refused(Refusal refusal) {
            super(refusal.toString(), null, false, false);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }
    }

    default Refused toException() {
        return new Refused(this);
    }

    /** The HTTP status of this refusal. */
    default int status() {
        return switch (this) {
            case NotFound n -> 404;
            case PasscodeRequired p -> 403;
            case RateLimited r -> 429;
            case TooLarge t -> 413;
            case UnsupportedMediaType u -> 415;
            case NotAccepted n -> 422;
        };
    }
}
