package dev.switchboard.app.gateway;

import java.net.URI;
import java.util.Optional;

/**
 * Decides whether the app may call a URL that a user (not the operator) supplied, such as a
 * workspace's own OpenAI-compatible endpoint: the guard against server-side request forgery.
 * Operator-configured URLs ({@code switchboard.gateway.providers.*}) are trusted and never asked.
 *
 * <p>The app's default is {@link PrivateNetworkUrlPolicy}. Declare a bean of this type to replace it
 * (e.g. with allow-lists, or checks that pin the resolved address).
 */
public interface OutboundUrlPolicy {

    /** Why {@code url} may not be called, or empty when it may. Called when the URL is saved and when it is used. */
    Optional<String> refusal(URI url);
}
