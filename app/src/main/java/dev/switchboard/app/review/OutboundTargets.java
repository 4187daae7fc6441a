package dev.switchboard.app.review;

import java.net.URI;

/**
 * Decides whether the app may send a request to a URL. Review webhooks go to the
 * operator-configured {@code switchboard.reviews.webhook-url}, which is trusted (ARCHITECTURE:
 * operator-configured URLs are trusted, graph URLs are not), so the default allows it.
 *
 * <p>Hook for the security work: when webhook URLs can come from graphs or users, declare a
 * bean of this type backed by the SSRF guard (no private, loopback or link-local addresses,
 * resolved once and pinned) and it replaces the default.
 */
@FunctionalInterface
public interface OutboundTargets {

    /** @return null when allowed, else why not (logged) */
    String refuse(URI target);

    OutboundTargets OPERATOR_CONFIGURED = target -> null;
}
