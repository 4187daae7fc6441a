package dev.switchboard.app.apps;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.Immutable;

/** A published version; the database refuses updates (trigger), Hibernate never issues one. */
@Entity
@Immutable
@Table(name = "app_versions")
@IdClass(AppVersionEntity.Key.class)
class AppVersionEntity {

    record Key(UUID appId, int version) implements Serializable {
        Key() {
            this(null, 0);
        }
    }

    @Id
    @Column(name = "app_id")
    UUID appId;

    @Id
    int version;

    @Column(nullable = false)
    String name;

    String description;

    @Column(nullable = false)
    @ColumnTransformer(write = "?::jsonb")
    String graph;

    @Column(name = "draft_revision", nullable = false)
    int draftRevision;

    @Column(name = "published_at", nullable = false)
    Instant publishedAt;

    @Column(name = "published_by")
    UUID publishedBy;

    protected AppVersionEntity() {
    }

    AppVersionEntity(AppEntity app, int version, Instant publishedAt, UUID publishedBy) {
        this.appId = app.id;
        this.version = version;
        this.name = app.name;
        this.description = app.description;
        this.graph = app.draftGraph;
        this.draftRevision = app.draftRevision;
        this.publishedAt = publishedAt;
        this.publishedBy = publishedBy;
    }
}
