package dev.switchboard.app.keys;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "api_keys")
class ApiKeyEntity {
    @Id
    UUID id;

    @Column(name = "workspace_id", nullable = false)
    UUID workspaceId;

    @Column(nullable = false)
    String name;

    @Column(nullable = false)
    String role;

    @Column(name = "key_hash", nullable = false)
    byte[] keyHash;

    @Column(name = "key_hint", nullable = false)
    String keyHint;

    @Column(nullable = false)
    boolean bootstrap;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "last_used_at")
    Instant lastUsedAt;

    @Column(name = "revoked_at")
    Instant revokedAt;

    protected ApiKeyEntity() {
    }

    ApiKeyEntity(UUID id, UUID workspaceId, String name, KeyRole role, byte[] keyHash, String keyHint,
            boolean bootstrap, Instant createdAt) {
        this.id = id;
        this.workspaceId = workspaceId;
        this.name = name;
        this.role = role.wire();
        this.keyHash = keyHash;
        this.keyHint = keyHint;
        this.bootstrap = bootstrap;
        this.createdAt = createdAt;
    }

    ApiKeyView toView() {
        return new ApiKeyView(id, name, KeyRole.fromWire(role).wire(), keyHint, createdAt, lastUsedAt, revokedAt);
    }
}
