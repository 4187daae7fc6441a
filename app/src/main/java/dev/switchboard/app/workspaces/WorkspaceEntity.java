package dev.switchboard.app.workspaces;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "workspaces")
class WorkspaceEntity {
    @Id
    UUID id;

    @Column(nullable = false)
    String name;

    @Column(name = "is_default", nullable = false)
    boolean isDefault;

    @Column(name = "demo_seeded_at")
    Instant demoSeededAt;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    protected WorkspaceEntity() {
    }

    WorkspaceEntity(UUID id, String name, boolean isDefault, Instant createdAt) {
        this.id = id;
        this.name = name;
        this.isDefault = isDefault;
        this.createdAt = createdAt;
    }

    Workspace toView() {
        return new Workspace(id, name, isDefault, createdAt);
    }
}
