package dev.switchboard.app.apps;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "apps")
class AppEntity {
    @Id
    UUID id;

    @Column(name = "workspace_id", nullable = false)
    UUID workspaceId;

    @Column(nullable = false)
    String name;

    String description;

    @Column(name = "draft_graph", nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    String draftGraph;

    @Column(name = "draft_revision", nullable = false)
    int draftRevision;

    @Column(name = "latest_version")
    Integer latestVersion;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    protected AppEntity() {
    }

    AppEntity(UUID id, UUID workspaceId, String name, String description, String draftGraph, Instant now) {
        this.id = id;
        this.workspaceId = workspaceId;
        this.name = name;
        this.description = description;
        this.draftGraph = draftGraph;
        this.draftRevision = 1;
        this.createdAt = now;
        this.updatedAt = now;
    }
}
