package dev.switchboard.app.apps;

import dev.switchboard.app.apps.AppViews.AppSummary;
import dev.switchboard.app.apps.AppViews.AppView;
import dev.switchboard.app.apps.AppViews.PublishResult;
import dev.switchboard.app.apps.AppViews.VersionSummary;
import dev.switchboard.app.apps.AppViews.VersionView;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.PageView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/apps")
@Tag(name = "Apps", description = "Workflow apps: a draft graph and immutable published versions")
class AppController {

    private final AppService apps;

    AppController(AppService apps) {
        this.apps = apps;
    }

    record CreateAppRequest(
            @NotBlank @Size(max = 200) String name,
            @Size(max = 4000) String description,
            @NotNull JsonNode graph) {
    }

    record UpdateAppRequest(
            @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
            @Size(max = 4000) String description,
            JsonNode graph) {
    }

    @PostMapping
    @Operation(summary = "Create an app from a graph (422 lists every problem of an invalid graph)")
    ResponseEntity<AppView> create(Caller caller, @Valid @RequestBody CreateAppRequest request) {
        caller.require(KeyRole.BUILD);
        AppView app = apps.create(caller.workspaceId(),
                new AppService.NewApp(request.name().strip(), emptyToNull(request.description()), request.graph()));
        return ResponseEntity.created(URI.create("/api/v1/apps/" + app.id())).body(app);
    }

    @GetMapping
    @Operation(summary = "List the workspace's apps, newest first")
    PageView<AppSummary> list(Caller caller, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > 100) {
            throw ApiException.badRequest("page must be >= 0 and size between 1 and 100");
        }
        return apps.list(caller.workspaceId(), page, size);
    }

    @GetMapping("/{appId}")
    @Operation(summary = "An app with its draft graph")
    AppView get(Caller caller, @PathVariable UUID appId) {
        return apps.get(caller.workspaceId(), appId);
    }

    @PutMapping("/{appId}")
    @Operation(summary = "Update the draft (name, description and/or graph); published versions never change")
    AppView update(Caller caller, @PathVariable UUID appId, @Valid @RequestBody UpdateAppRequest request) {
        caller.require(KeyRole.BUILD);
        if (request.name() == null && request.description() == null && request.graph() == null) {
            throw ApiException.badRequest("Nothing to update: send name, description and/or graph");
        }
        return apps.update(caller.workspaceId(), appId, new AppService.DraftChange(
                request.name() == null ? null : request.name().strip(), request.description(), request.graph()));
    }

    @DeleteMapping("/{appId}")
    @Operation(summary = "Delete an app with its versions and runs")
    ResponseEntity<Void> delete(Caller caller, @PathVariable UUID appId) {
        caller.require(KeyRole.BUILD);
        apps.delete(caller.workspaceId(), appId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{appId}/publish")
    @Operation(summary = "Publish the draft as the next immutable version (an unchanged draft returns the latest version, created: false)")
    ResponseEntity<PublishResult> publish(Caller caller, @PathVariable UUID appId) {
        caller.require(KeyRole.BUILD);
        PublishResult result = apps.publish(caller.workspaceId(), appId, caller.keyId());
        return ResponseEntity.ok()
                .location(URI.create("/api/v1/apps/" + appId + "/versions/" + result.version()))
                .body(result);
    }

    @GetMapping("/{appId}/versions")
    @Operation(summary = "Published versions, newest first")
    List<VersionSummary> versions(Caller caller, @PathVariable UUID appId) {
        return apps.versions(caller.workspaceId(), appId);
    }

    @GetMapping("/{appId}/versions/{version}")
    @Operation(summary = "One published version with its graph")
    VersionView version(Caller caller, @PathVariable UUID appId, @PathVariable int version) {
        return apps.version(caller.workspaceId(), appId, version);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
