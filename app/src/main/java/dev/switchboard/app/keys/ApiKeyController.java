package dev.switchboard.app.keys;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "API keys", description = "Keys of the caller's workspace (role admin)")
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record CreateKeyRequest(
            @NotBlank @Size(max = 200) String name,
            @Pattern(regexp = "admin|build|run", message = "must be one of admin, build, run") String role) {
    }

    @PostMapping
    @Operation(summary = "Create a key; the secret is in this response only")
    ResponseEntity<CreatedApiKey> create(Caller caller, @Valid @RequestBody CreateKeyRequest request) {
        caller.require(KeyRole.ADMIN);
        KeyRole role = request.role() == null ? KeyRole.RUN : KeyRole.fromWire(request.role());
        CreatedApiKey created = keys.create(caller.workspaceId(), request.name().strip(), role);
        return ResponseEntity.created(URI.create("/api/v1/keys/" + created.key().id())).body(created);
    }

    @GetMapping
    @Operation(summary = "List the workspace's keys (hints only, never secrets)")
    List<ApiKeyView> list(Caller caller) {
        caller.require(KeyRole.ADMIN);
        return keys.list(caller.workspaceId());
    }

    @GetMapping("/{keyId}")
    ApiKeyView get(Caller caller, @PathVariable UUID keyId) {
        caller.require(KeyRole.ADMIN);
        return keys.get(caller.workspaceId(), keyId);
    }

    @DeleteMapping("/{keyId}")
    @Operation(summary = "Revoke a key (idempotent); it stops working at once")
    ApiKeyView revoke(Caller caller, @PathVariable UUID keyId) {
        caller.require(KeyRole.ADMIN);
        return keys.revoke(caller.workspaceId(), keyId);
    }
}
