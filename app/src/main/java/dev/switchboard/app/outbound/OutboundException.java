package dev.switchboard.app.outbound;

/**
 * An outbound request that did not produce a response. The message is user-facing and never holds
 * the URL's path or query, request headers or bodies (they may carry keys).
 */
public final class OutboundException extends Exception {

    /** Why it failed. */
    public enum Failure {
        /** The guard refused the URL or a redirect's target. */
        REFUSED,
        /** Could not connect (refused, unreachable, TLS failure). */
        CONNECT,
        /** The time limit passed. */
        TIMEOUT,
        /** The response body was larger than allowed. */
        TOO_LARGE,
        /** More redirects than allowed, or one without a usable Location. */
        REDIRECTS,
        /** The connection failed while sending or receiving. */
        IO,
        /** The run or node was cancelled. */
        CANCELLED;

        /** Worth another attempt: the same request may succeed later. */
        public boolean retriable() {
            return switch (this) {
                case CONNECT, TIMEOUT, IO -> true;
                case REFUSED, TOO_LARGE, REDIRECTS, CANCELLED -> false;
            };
        }
    }

    private final Failure failure;

    public OutboundException(Failure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
