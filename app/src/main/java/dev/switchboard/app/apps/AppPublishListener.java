package dev.switchboard.app.apps;

import java.util.Optional;
import java.util.UUID;

/**
 * Told about every publish inside its transaction (so whatever it writes commits or rolls back
 * with the version). The share-page feature implements it to mint the share link; the URL it
 * returns becomes {@code shareUrl} in the publish response.
 */
public interface AppPublishListener {
    Optional<String> onPublished(UUID workspaceId, UUID appId, int version);
}
