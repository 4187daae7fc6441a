package dev.switchboard.app.workspaces;

import dev.switchboard.app.support.Ids;
import dev.switchboard.app.web.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Workspaces: the default one (created at first start) and any an operator adds. */
@Service
public class WorkspaceService {

    static final String DEFAULT_NAME = "Default";

    private final WorkspaceRepository repository;
    private final Ids ids;
    private final Clock clock;

    WorkspaceService(WorkspaceRepository repository, Ids ids, Clock clock) {
        this.repository = repository;
        this.ids = ids;
        this.clock = clock;
    }

    /** Creates the default workspace on first start; idempotent, also with replicas starting together. */
    @Transactional
    public Workspace ensureDefault() {
        repository.insertDefaultIfMissing(ids.next(), DEFAULT_NAME, clock.instant());
        return repository.findByIsDefaultTrue().orElseThrow().toView();
    }

    @Transactional
    public Workspace create(String name) {
        WorkspaceEntity entity = new WorkspaceEntity(ids.next(), name, false, clock.instant());
        return repository.save(entity).toView();
    }

    @Transactional(readOnly = true)
    public Workspace get(UUID id) {
        return repository.findById(id).map(WorkspaceEntity::toView)
                .orElseThrow(() -> ApiException.notFound("workspace", id));
    }

    @Transactional(readOnly = true)
    public List<Workspace> list() {
        return repository.findAll().stream().map(WorkspaceEntity::toView)
                .sorted(java.util.Comparator.comparing(Workspace::createdAt)).toList();
    }

    /**
     * Claims the one-time demo seeding of a workspace; true for exactly one caller ever, so a
     * demo app a user deleted is not recreated at the next start.
     */
    @Transactional
    public boolean claimDemoSeeding(UUID workspaceId) {
        return repository.markDemoSeeded(workspaceId) == 1;
    }
}
