package dev.switchboard.app.apps;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface AppVersionRepository extends JpaRepository<AppVersionEntity, AppVersionEntity.Key> {

    List<AppVersionEntity> findByAppIdOrderByVersionDesc(UUID appId);

    Optional<AppVersionEntity> findByAppIdAndVersion(UUID appId, int version);
}
