package dev.switchboard.app.workspaces;

import dev.switchboard.app.keys.ApiKeyService;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Workspaces", description = "Tenants; operators (admins of the default workspace) create more")
class WorkspaceController {

    private final WorkspaceService workspaces;
    private final WorkspaceProvisioning provisioning;

    WorkspaceController(WorkspaceService workspaces, WorkspaceProvisioning provisioning) {
        this.workspaces = workspaces;
        this.provisioning = provisioning;
    }

    record CreateWorkspaceRequest(@NotBlank @Size(max = 200) String name) {
    }

    @GetMapping("/api/v1/workspace")
    @Operation(summary = "The caller's workspace")
    Workspace current(Caller caller) {
        return workspaces.get(caller.workspaceId());
    }

    @GetMapping("/api/v1/workspaces")
    @Operation(summary = "All workspaces (operators only)")
    List<Workspace> list(Caller caller) {
        requireOperator(caller);
        return workspaces.list();
    }

    @PostMapping("/api/v1/workspaces")
    @Operation(summary = "Create a workspace with a first admin key, shown once (operators only)")
    ResponseEntity<WorkspaceProvisioning.CreatedWorkspace> create(Caller caller, @Valid @RequestBody CreateWorkspaceRequest request) {
        requireOperator(caller);
        WorkspaceProvisioning.CreatedWorkspace created = provisioning.create(request.name().strip());
        return ResponseEntity.created(URI.create("/api/v1/workspaces/" + created.workspace().id())).body(created);
    }

    private static void requireOperator(Caller caller) {
        caller.require(KeyRole.ADMIN);
        if (!caller.defaultWorkspace()) {
            throw ApiException.forbidden("Only admins of the default workspace manage workspaces");
        }
    }
}
