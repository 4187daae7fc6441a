package dev.switchboard.app.workspaces;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface WorkspaceRepository extends JpaRepository<WorkspaceEntity, UUID> {

    Optional<WorkspaceEntity> findByIsDefaultTrue();

    /** Marks the demo as seeded; returns 1 only for the first caller (seeding happens once). */
    @Modifying
    @Query(value = "UPDATE workspaces SET demo_seeded_at = now() WHERE id = :id AND demo_seeded_at IS NULL", nativeQuery = true)
    int markDemoSeeded(UUID id);

    @Modifying
    @Query(value = "INSERT INTO workspaces (id, name, is_default, created_at) VALUES (:id, :name, true, :createdAt) "
            + "ON CONFLICT DO NOTHING", nativeQuery = true)
    int insertDefaultIfMissing(UUID id, String name, java.time.Instant createdAt);
}
