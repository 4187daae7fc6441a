package dev.switchboard.gateway;

import java.util.Optional;

/**
 * Per-workspace provider credentials (the app stores them encrypted and implements this). A key returned here
 * replaces the configured key of every deployment of that provider for calls of that workspace; circuit
 * breakers and rate limits then count per (provider, model, key).
 *
 * <p>Called once per attempt on the calling thread; implementations should cache decrypted keys and be
 * thread-safe.
 */
@FunctionalInterface
public interface CredentialResolver {

    /** No per-workspace credentials: the configured keys are used. */
    CredentialResolver NONE = (workspaceId, provider) -> Optional.empty();

    Optional<Secret> apiKey(String workspaceId, String provider);
}
