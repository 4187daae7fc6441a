package dev.switchboard.app.share;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.switchboard.app.apps.AppService;
import dev.switchboard.app.apps.AppViews.AppView;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.engine.GraphDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
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
import tools.jackson.databind.json.JsonMapper;

/** The owner's side of share links (authenticated, under {@code /api/v1/apps/{id}}). */
@RestController
@RequestMapping("/api/v1/apps/{appId}")
@Tag(name = "Share links", description = "A published app as a public web page: settings, rotation, revocation, graph picture")
class ShareSettingsController {

    static final int MIN_PASSCODE = 4;
    static final int MAX_PASSCODE = 200;
    private static final Set<String> SETTINGS_FIELDS = Set.of("passcode", "expiresAt", "showGraph");

    private final ShareLinks links;
    private final AppService apps;
    private final JsonMapper json;

    ShareSettingsController(ShareLinks links, AppService apps, JsonMapper json) {
        this.links = links;
        this.apps = apps;
        this.json = json;
    }

    @GetMapping("/share")
    @Operation(summary = "The app's share link: status (pending|active|expired|revoked), URL, passcode?, expiry, showGraph")
    ShareSettings get(Caller caller, @PathVariable UUID appId) {
        return links.settings(caller.workspaceId(), appId);
    }

    @PutMapping("/share")
    @Operation(summary = "Change share settings: {passcode?: string|null, expiresAt?: instant|null, showGraph?: boolean}",
            description = "Absent fields stay as they are; null removes the passcode or the expiry. A new passcode "
                    + "locks out every browser that entered the old one. Unknown fields are refused (422).")
    ShareSettings update(Caller caller, @PathVariable UUID appId, @RequestBody SettingsBody body) {
        caller.require(KeyRole.BUILD);
        return links.update(caller.workspaceId(), appId, parse(body.json()));
    }

    /**
     * The raw settings object (parsed by hand to refuse unknown fields), wrapped so that what
     * frameworks log about the request body at debug level never includes the passcode.
     */
    record SettingsBody(JsonNode json) {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        SettingsBody {
        }

        @Override
        public String toString() {
            return "SettingsBody" + (json != null && json.isObject() ? json.propertyNames() : "[not an object]");
        }
    }

    @PostMapping("/share/rotate")
    @Operation(summary = "Issue a new share URL; the old one answers 404 at once (also re-enables a revoked link)")
    ShareSettings rotate(Caller caller, @PathVariable UUID appId) {
        caller.require(KeyRole.BUILD);
        return links.rotate(caller.workspaceId(), appId);
    }

    @DeleteMapping("/share")
    @Operation(summary = "Revoke the share link: its page answers 404; publishing again does not re-share (rotate does)")
    ResponseEntity<Void> revoke(Caller caller, @PathVariable UUID appId) {
        caller.require(KeyRole.BUILD);
        links.revoke(caller.workspaceId(), appId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping(value = "/graph.svg", produces = "image/svg+xml")
    @Operation(summary = "The app's graph drawn as SVG (nodes coloured by kind, edges labelled)")
    ResponseEntity<String> graph(Caller caller, @PathVariable UUID appId,
            @Parameter(description = "a version number, \"latest\" or \"draft\"; absent: the latest published "
                    + "version, or the draft while nothing is published") @RequestParam(required = false) String version) {
        AppView app = apps.get(caller.workspaceId(), appId);
        JsonNode graph = switch (VersionSelector.parse(version)) {
            case VersionSelector.Latest latest -> app.latestVersion() == null ? app.graph()
                    : apps.version(caller.workspaceId(), appId, app.latestVersion()).graph();
            case VersionSelector.Draft draft -> app.graph();
            case VersionSelector.Exact exact -> apps.version(caller.workspaceId(), appId, exact.version()).graph();
        };
        String svg = GraphSvg.render(json.treeToValue(graph, GraphDefinition.class),
                new GraphSvg.Options("Graph of " + app.name(), true));
        return ResponseEntity.ok()
                .contentType(new MediaType("image", "svg+xml", java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache().cachePrivate())
                .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
                .header(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"graph.svg\"")
                .body(svg);
    }

    private static ShareLinks.SettingsChange parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object like {\"passcode\": \"...\", \"showGraph\": true}");
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (String name : body.propertyNames()) {
            if (!SETTINGS_FIELDS.contains(name)) {
                problems.add(new FieldProblem(name, "unknown-field",
                        name + " is not a share setting; use passcode, expiresAt or showGraph"));
            }
        }
        Optional<Optional<String>> passcode = Optional.empty();
        if (body.has("passcode")) {
            JsonNode p = body.get("passcode");
            if (p.isNull()) {
                passcode = Optional.of(Optional.empty());
            } else if (!p.isString()) {
                problems.add(new FieldProblem("passcode", "invalid", "passcode must be a string, or null to remove it"));
            } else {
                String value = p.asString();
                int length = value.codePointCount(0, value.length());
                if (length < MIN_PASSCODE || length > MAX_PASSCODE || value.isBlank()) {
                    problems.add(new FieldProblem("passcode", "out-of-range",
                            "passcode must be " + MIN_PASSCODE + " to " + MAX_PASSCODE + " characters long"));
                } else {
                    passcode = Optional.of(Optional.of(value));
                }
            }
        }
        Optional<Optional<Instant>> expiresAt = Optional.empty();
        if (body.has("expiresAt")) {
            JsonNode e = body.get("expiresAt");
            if (e.isNull()) {
                expiresAt = Optional.of(Optional.empty());
            } else {
                try {
                    expiresAt = Optional.of(Optional.of(Instant.parse(e.isString() ? e.asString().strip() : "-")));
                } catch (DateTimeParseException ex) {
                    problems.add(new FieldProblem("expiresAt", "invalid",
                            "expiresAt must be an ISO-8601 instant such as 2030-01-31T12:00:00Z, or null"));
                }
            }
        }
        Optional<Boolean> showGraph = Optional.empty();
        if (body.has("showGraph")) {
            if (!body.get("showGraph").isBoolean()) {
                problems.add(new FieldProblem("showGraph", "invalid", "showGraph must be true or false"));
            } else {
                showGraph = Optional.of(body.get("showGraph").asBoolean());
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalidFields("The share settings are invalid", problems);
        }
        return new ShareLinks.SettingsChange(passcode, expiresAt, showGraph);
    }
}
