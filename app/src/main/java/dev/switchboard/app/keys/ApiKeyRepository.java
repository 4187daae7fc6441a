package dev.switchboard.app.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, UUID> {

    Optional<ApiKeyEntity> findByKeyHash(byte[] keyHash);

    List<ApiKeyEntity> findByWorkspaceIdOrderByCreatedAtAscIdAsc(UUID workspaceId);

    Optional<ApiKeyEntity> findByIdAndWorkspaceId(UUID id, UUID workspaceId);

    List<ApiKeyEntity> findByBootstrapTrueAndRevokedAtIsNull();

    @Modifying
    @Query("UPDATE ApiKeyEntity k SET k.lastUsedAt = :at WHERE k.id = :id")
    int touch(UUID id, Instant at);
}
