package dev.switchboard.app.share;

import java.time.Instant;
import java.util.UUID;

/**
 * A share link as its owner sees it ({@code GET /api/v1/apps/{id}/share}). The passcode itself is
 * never returned, only whether there is one.
 *
 * @param status {@code pending} (no published version yet: publishing mints the link),
 *     {@code active}, {@code expired} or {@code revoked} ({@code POST .../share/rotate} issues a new link)
 * @param shareUrl the page's URL while the link has a token (active or expired), else null
 * @param publishedVersion the version the page runs (the latest published), null before the first publish
 */
record ShareSettings(UUID appId, String status, String shareUrl, boolean passcodeRequired, Instant expiresAt,
        boolean showGraph, Integer publishedVersion, Instant tokenIssuedAt, Instant revokedAt, Instant updatedAt) {
}
