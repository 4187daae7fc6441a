package dev.switchboard.app.keys;

import java.time.Instant;
import java.util.UUID;

/** A key as listed: never the key itself, only a hint ({@code sb_Ab3…xY9z}) to recognise it. */
public record ApiKeyView(UUID id, String name, String role, String hint, Instant createdAt,
        Instant lastUsedAt, Instant revokedAt) {
}
