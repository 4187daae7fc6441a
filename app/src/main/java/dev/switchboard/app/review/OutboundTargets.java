package dev.switchboard.app.review;

import java.net.URI;

/**
 * Decides whether the app may send a request to a URL. Review webhooks go to the
 * operator-configured {@code switchboard.reviews.webhook-url}, which is trusted (operator-configured
 * URLs are trusted, user-supplied ones go through {@code dev.switchboard.app.outbound.OutboundGuard}),
 * so the default allows it. A bean of this type replaces the default, e.g. to restrict it further.
 */
@FunctionalInterface
public interface OutboundTargets {

    /** @return null when allowed, else why not (logged) */
    String refuse(URI target);

    OutboundTargets OPERATOR_CONFIGURED = target -> null;
}
