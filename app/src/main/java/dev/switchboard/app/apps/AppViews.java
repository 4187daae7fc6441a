package dev.switchboard.app.apps;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** What the apps API returns. */
public final class AppViews {
    private AppViews() {
    }

    /** An app with its draft graph. */
    public record AppView(UUID id, String name, String description, int draftRevision, Integer latestVersion,
            Instant createdAt, Instant updatedAt, JsonNode graph) {
    }

    /** An app in a list (no graph). */
    public record AppSummary(UUID id, String name, String description, int draftRevision, Integer latestVersion,
            Instant createdAt, Instant updatedAt) {
    }

    /** A published, immutable version. */
    public record VersionView(UUID appId, int version, String name, String description, int draftRevision,
            Instant publishedAt, JsonNode graph) {
    }

    public record VersionSummary(UUID appId, int version, String name, int draftRevision, Instant publishedAt) {
    }

    /** Answer of {@code POST /apps/{id}/publish}; {@code shareUrl} appears once share pages exist. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PublishResult(UUID appId, int version, Instant publishedAt, boolean created, String shareUrl) {
    }
}
