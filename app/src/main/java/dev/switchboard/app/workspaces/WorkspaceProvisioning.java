package dev.switchboard.app.workspaces;

import dev.switchboard.app.keys.ApiKeyService;
import dev.switchboard.app.keys.CreatedApiKey;
import dev.switchboard.app.keys.KeyRole;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Creates a workspace and its first admin key in one transaction: neither exists without the other. */
@Component
class WorkspaceProvisioning {

    record CreatedWorkspace(Workspace workspace, CreatedApiKey adminKey) {
    }

    private final WorkspaceService workspaces;
    private final ApiKeyService keys;

    WorkspaceProvisioning(WorkspaceService workspaces, ApiKeyService keys) {
        this.workspaces = workspaces;
        this.keys = keys;
    }

    @Transactional
    public CreatedWorkspace create(String name) {
        Workspace workspace = workspaces.create(name);
        return new CreatedWorkspace(workspace, keys.create(workspace.id(), "admin", KeyRole.ADMIN));
    }
}
