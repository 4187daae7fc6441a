package dev.switchboard.app.gateway;

import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Providers", description = "Model providers and the workspace's own provider API keys (stored encrypted)")
class ProviderController {

    private final ModelGateway gateway;
    private final ProviderCredentialStore credentials;

    ProviderController(ModelGateway gateway, ProviderCredentialStore credentials) {
        this.gateway = gateway;
        this.credentials = credentials;
    }

    record SetCredentialsRequest(
            @NotBlank @Size(max = 4096)
            @Pattern(regexp = "[\\x21-\\x7E]+", message = "must be printable ASCII without spaces") String apiKey) {

        /** Never the key: frameworks log request bodies at debug level. */
        @Override
        public String toString() {
            return "SetCredentialsRequest[apiKey=" + SecretBox.mask(apiKey) + "]";
        }
    }

    /**
     * A configured provider.
     *
     * @param models      its allow-list, or {@code ["*"]} when any model name passes through
     * @param credentials the workspace's own key (hint only), or null when the configured key is used
     */
    record ProviderView(String name, String type, List<String> models,
                        ProviderCredentialStore.StoredCredential credentials) {
    }

    @GetMapping("/api/v1/providers")
    @Operation(summary = "Configured providers, their models, and whether this workspace uses its own key")
    List<ProviderView> list(Caller caller) {
        caller.require(KeyRole.BUILD);
        Map<String, ProviderCredentialStore.StoredCredential> own = new LinkedHashMap<>();
        credentials.list(caller.workspaceId()).forEach(c -> own.put(c.provider(), c));
        List<ProviderView> views = new ArrayList<>();
        providers().forEach((name, models) -> views.add(new ProviderView(name, models.getFirst().type(),
                models.stream().map(ModelInfo::model).toList(), own.get(name))));
        return views;
    }

    @GetMapping("/api/v1/providers/{name}/credentials")
    @Operation(summary = "The workspace's key for a provider (masked)")
    ProviderCredentialStore.StoredCredential get(Caller caller, @PathVariable String name) {
        caller.require(KeyRole.BUILD);
        requireProvider(name);
        return credentials.find(caller.workspaceId(), name).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "not-found", "Not found", "This workspace has no own API key for provider '" + name
                + "'; its calls use the configured key", Map.of()));
    }

    @PutMapping("/api/v1/providers/{name}/credentials")
    @Operation(summary = "Store the workspace's API key for a provider (encrypted); it replaces the configured key for this workspace's calls")
    ProviderCredentialStore.StoredCredential put(Caller caller, @PathVariable String name,
            @Valid @RequestBody SetCredentialsRequest request) {
        caller.require(KeyRole.ADMIN);
        requireProvider(name);
        return credentials.put(caller.workspaceId(), name, request.apiKey());
    }

    @DeleteMapping("/api/v1/providers/{name}/credentials")
    @Operation(summary = "Forget the workspace's key for a provider; calls use the configured key again")
    ResponseEntity<Void> delete(Caller caller, @PathVariable String name) {
        caller.require(KeyRole.ADMIN);
        requireProvider(name);
        credentials.delete(caller.workspaceId(), name);
        return ResponseEntity.noContent().build();
    }

    private Map<String, List<ModelInfo>> providers() {
        Map<String, List<ModelInfo>> byProvider = new LinkedHashMap<>();
        for (ModelInfo m : gateway.models()) {
            byProvider.computeIfAbsent(m.provider(), p -> new ArrayList<>()).add(m);
        }
        return byProvider;
    }

    private void requireProvider(String name) {
        Map<String, List<ModelInfo>> known = providers();
        if (!known.containsKey(name)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown-provider", "Unknown provider",
                    "No provider named '" + name + "' is configured; configured providers: "
                            + (known.isEmpty() ? "none" : String.join(", ", known.keySet())),
                    Map.of("knownProviders", List.copyOf(known.keySet())));
        }
    }
}
