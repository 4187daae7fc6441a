package dev.switchboard.app.gateway;

import dev.switchboard.app.outbound.OutboundGuard;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.gateway.ModelInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Providers", description = "Model providers: the configured ones (with the workspace's own API keys, stored "
        + "encrypted) and the workspace's own OpenAI-compatible endpoints")
class ProviderController {

    private static final String KEY_PATTERN = "[\\x21-\\x7E]+";
    private static final String KEY_MESSAGE = "must be printable ASCII without spaces";
    private static final int MAX_KEY_LENGTH = 4096;

    private final WorkspaceModelGateway gateway;
    private final ProviderCredentialStore credentials;
    private final WorkspaceProviderStore endpoints;
    private final OutboundGuard outbound;

    ProviderController(WorkspaceModelGateway gateway, ProviderCredentialStore credentials, WorkspaceProviderStore endpoints,
            OutboundGuard outbound) {
        this.gateway = gateway;
        this.credentials = credentials;
        this.endpoints = endpoints;
        this.outbound = outbound;
    }

    // apiKey is checked by checkKey, not bean validation: a constraint violation's message carries the
    // rejected value, and Spring logs it at debug level
    record SetCredentialsRequest(String apiKey) {

        /** Never the key: frameworks log request bodies at debug level. */
        @Override
        public String toString() {
            return "SetCredentialsRequest[apiKey=" + SecretBox.mask(apiKey) + "]";
        }
    }

    /**
     * A workspace's own OpenAI-compatible endpoint (vLLM, Ollama, TGI, llama.cpp...).
     *
     * @param type    {@code openai-compatible} (the only one; optional)
     * @param baseUrl e.g. {@code https://llm.example.com/v1}; must pass the outbound URL policy
     * @param apiKey  sent as {@code Authorization: Bearer}; optional
     * @param models  allow-list; empty or absent: any model name passes through
     */
    record PutEndpointRequest(@Pattern(regexp = "openai-compatible", message = "must be openai-compatible") String type,
                              @NotBlank @Size(max = 2000) String baseUrl,
                              String apiKey,
                              @Size(max = 100) List<@NotBlank @Size(max = 200) String> models) {

        @Override
        public String toString() {
            return "PutEndpointRequest[baseUrl=" + baseUrl + ", apiKey=" + SecretBox.mask(apiKey) + ", models=" + models + "]";
        }
    }

    /**
     * A provider this workspace can use.
     *
     * @param scope       {@code configured} (by the operator) or {@code workspace} (this workspace's own endpoint)
     * @param models      the allow-list, or {@code ["*"]} when any model name passes through
     * @param baseUrl     only for workspace endpoints
     * @param credentials for configured providers: the workspace's own key (hint only), or null when the configured
     *                    key is used; for workspace endpoints: the endpoint's key hint, or null without a key
     */
    record ProviderView(String name, String type, String scope, List<String> models, URI baseUrl, KeyView credentials,
                        Instant updatedAt) {
    }

    record KeyView(String apiKeyHint, Instant updatedAt) {
    }

    @GetMapping("/api/v1/providers")
    @Operation(summary = "Providers this workspace can use: configured ones (and whether it uses its own key) and its own endpoints")
    List<ProviderView> list(Caller caller) {
        caller.require(KeyRole.BUILD);
        Map<String, ProviderCredentialStore.StoredCredential> ownKeys = new LinkedHashMap<>();
        credentials.list(caller.workspaceId()).forEach(c -> ownKeys.put(c.provider(), c));
        List<ProviderView> views = new ArrayList<>();
        configured().forEach((name, models) -> {
            var key = ownKeys.get(name);
            views.add(new ProviderView(name, models.getFirst().type(), "configured",
                    models.stream().map(ModelInfo::model).toList(), null,
                    key == null ? null : new KeyView(key.apiKeyHint(), key.updatedAt()), null));
        });
        endpoints.list(caller.workspaceId()).forEach(e -> views.add(view(e)));
        return views;
    }

    // ------------------------------------------------------------------ the workspace's keys for configured providers

    @GetMapping("/api/v1/providers/{name}/credentials")
    @Operation(summary = "The workspace's own key for a configured provider (masked)")
    ProviderCredentialStore.StoredCredential getCredentials(Caller caller, @PathVariable String name) {
        caller.require(KeyRole.BUILD);
        requireConfigured(name);
        return credentials.find(caller.workspaceId(), name).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "not-found", "Not found", "This workspace has no own API key for provider '" + name
                + "'; its calls use the configured key", Map.of()));
    }

    @PutMapping("/api/v1/providers/{name}/credentials")
    @Operation(summary = "Store the workspace's API key for a configured provider (encrypted); it replaces the "
            + "configured key for this workspace's calls")
    ProviderCredentialStore.StoredCredential putCredentials(Caller caller, @PathVariable String name,
            @Valid @RequestBody SetCredentialsRequest request) {
        caller.require(KeyRole.ADMIN);
        requireConfigured(name);
        checkKey(request.apiKey(), true);
        return credentials.put(caller.workspaceId(), name, request.apiKey());
    }

    @DeleteMapping("/api/v1/providers/{name}/credentials")
    @Operation(summary = "Forget the workspace's key for a provider; calls use the configured key again")
    ResponseEntity<Void> deleteCredentials(Caller caller, @PathVariable String name) {
        caller.require(KeyRole.ADMIN);
        requireConfigured(name);
        credentials.delete(caller.workspaceId(), name);
        return ResponseEntity.noContent().build();
    }

    // ------------------------------------------------------------------ the workspace's own endpoints

    @PutMapping("/api/v1/providers/{name}")
    @Operation(summary = "Create or replace one of the workspace's own OpenAI-compatible endpoints, used as <name>/<model>")
    ProviderView putEndpoint(Caller caller, @PathVariable String name, @Valid @RequestBody PutEndpointRequest request) {
        caller.require(KeyRole.ADMIN);
        UUID workspace = caller.workspaceId();
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,39}")) {
            throw invalid("name", "pattern", "name must be 1-40 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        if (gateway.configuredProviders().contains(name)) {
            throw ApiException.conflict("'" + name + "' is a configured provider; choose another name for the workspace's endpoint");
        }
        checkKey(request.apiKey(), false);
        URI baseUrl = parseUrl(request.baseUrl());
        outbound.refusal(baseUrl).ifPresent(reason -> {
            throw invalid("baseUrl", "refused", "baseUrl " + reason);
        });
        if (endpoints.find(workspace, name).isEmpty() && endpoints.count(workspace) >= WorkspaceProviderStore.MAX_PER_WORKSPACE) {
            throw ApiException.conflict("a workspace can have at most " + WorkspaceProviderStore.MAX_PER_WORKSPACE + " own endpoints");
        }
        var saved = endpoints.put(workspace, name, baseUrl, request.apiKey(),
                request.models() == null ? List.of() : request.models().stream().map(String::strip).distinct().toList());
        gateway.invalidate(workspace);
        return view(saved);
    }

    @GetMapping("/api/v1/providers/{name}")
    @Operation(summary = "A provider this workspace can use")
    ProviderView get(Caller caller, @PathVariable String name) {
        caller.require(KeyRole.BUILD);
        return list(caller).stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> unknownProvider(name, caller.workspaceId()));
    }

    @DeleteMapping("/api/v1/providers/{name}")
    @Operation(summary = "Remove one of the workspace's own endpoints")
    ResponseEntity<Void> deleteEndpoint(Caller caller, @PathVariable String name) {
        caller.require(KeyRole.ADMIN);
        if (configured().containsKey(name)) {
            throw ApiException.conflict("'" + name + "' is configured by the operator and cannot be removed through the API");
        }
        if (!endpoints.delete(caller.workspaceId(), name)) {
            throw unknownProvider(name, caller.workspaceId());
        }
        gateway.invalidate(caller.workspaceId());
        return ResponseEntity.noContent().build();
    }

    // ------------------------------------------------------------------ helpers

    private static ProviderView view(WorkspaceProviderStore.WorkspaceProvider e) {
        return new ProviderView(e.name(), e.type(), "workspace", e.models().isEmpty() ? List.of("*") : e.models(), e.baseUrl(),
                e.apiKeyHint() == null ? null : new KeyView(e.apiKeyHint(), e.updatedAt()), e.updatedAt());
    }

    private Map<String, List<ModelInfo>> configured() {
        Map<String, List<ModelInfo>> byProvider = new LinkedHashMap<>();
        for (ModelInfo m : gateway.models()) {
            byProvider.computeIfAbsent(m.provider(), p -> new ArrayList<>()).add(m);
        }
        return byProvider;
    }

    private void requireConfigured(String name) {
        Map<String, List<ModelInfo>> known = configured();
        if (!known.containsKey(name)) {
            throw new ApiException(HttpStatus.NOT_FOUND, "unknown-provider", "Unknown provider",
                    "No provider named '" + name + "' is configured; configured providers: "
                            + (known.isEmpty() ? "none" : String.join(", ", known.keySet())),
                    Map.of("knownProviders", List.copyOf(known.keySet())));
        }
    }

    private ApiException unknownProvider(String name, UUID workspace) {
        List<String> known = new ArrayList<>(configured().keySet());
        endpoints.list(workspace).forEach(e -> known.add(e.name()));
        return new ApiException(HttpStatus.NOT_FOUND, "unknown-provider", "Unknown provider",
                "No provider named '" + name + "'; this workspace can use: " + (known.isEmpty() ? "none" : String.join(", ", known)),
                Map.of("knownProviders", known));
    }

    private static URI parseUrl(String value) {
        try {
            URI uri = new URI(value.strip());
            if (!uri.isAbsolute()) {
                throw invalid("baseUrl", "invalid", "baseUrl must be an absolute http or https URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw invalid("baseUrl", "invalid", "baseUrl is not a valid URL: " + e.getReason());
        }
    }

    /** The apiKey field's rules, reported without the value. */
    private static void checkKey(String apiKey, boolean required) {
        if (apiKey == null || apiKey.isBlank()) {
            if (required) {
                throw invalid("apiKey", "required", "apiKey must not be blank");
            }
            return;
        }
        if (apiKey.length() > MAX_KEY_LENGTH) {
            throw invalid("apiKey", "out-of-range", "apiKey size must be between 0 and " + MAX_KEY_LENGTH);
        }
        if (!apiKey.matches(KEY_PATTERN)) {
            throw invalid("apiKey", "pattern", "apiKey " + KEY_MESSAGE);
        }
    }

    private static ApiException invalid(String field, String code, String message) {
        return ApiException.invalidFields("The request is invalid", List.of(new FieldProblem(field, code, message)));
    }
}
