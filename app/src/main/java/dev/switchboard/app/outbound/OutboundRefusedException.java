package dev.switchboard.app.outbound;

import java.net.UnknownHostException;

/**
 * The outbound guard refused a URL or a destination address. It extends
 * {@link UnknownHostException} because the refusal happens inside name resolution (the HTTP client's
 * resolver) and must look like "this host cannot be reached" to the client; callers tell it apart by
 * type. The message is user-facing and never contains the URL's path or query (they may hold keys).
 */
public final class OutboundRefusedException extends UnknownHostException {

    public OutboundRefusedException(String reason) {
        super(reason);
    }

    /** Why the request was refused, for problem details and node errors. */
    public String reason() {
        return getMessage();
    }
}
