package dev.switchboard.app.apps;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface AppRepository extends JpaRepository<AppEntity, UUID> {

    Optional<AppEntity> findByIdAndWorkspaceId(UUID id, UUID workspaceId);

    /** Serialises publishes (and draft updates) of one app. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("SELECT a FROM AppEntity a WHERE a.id = :id AND a.workspaceId = :workspaceId")
    Optional<AppEntity> lockByIdAndWorkspaceId(UUID id, UUID workspaceId);

    Page<AppEntity> findByWorkspaceId(UUID workspaceId, Pageable pageable);
}
