package dev.switchboard.app.keys;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** A new key with its secret, which is returned this once and never stored. */
public record CreatedApiKey(@JsonUnwrapped ApiKeyView key, String secret) {
}
