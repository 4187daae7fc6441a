package dev.switchboard.app.web;

import java.io.IOException;

/** Thrown by the request stream once a body passes the configured limit; becomes a 413. */
public final class BodyTooLargeException extends IOException {
    private final long limit;

    BodyTooLargeException(long limit) {
        super("Request body is larger than " + limit + " bytes", null);
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // a control-flow signal, not a fault
    }
}
