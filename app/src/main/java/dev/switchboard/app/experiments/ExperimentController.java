package dev.switchboard.app.experiments;

import dev.switchboard.app.experiments.ExperimentViews.ExperimentPage;
import dev.switchboard.app.experiments.ExperimentViews.ExperimentView;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/experiments")
@Tag(name = "Experiments", description = "One prompt over several models and parameter sets, side by side")
class ExperimentController {

    private final ExperimentService experiments;

    ExperimentController(ExperimentService experiments) {
        this.experiments = experiments;
    }

    /**
     * Either {@code prompt} / {@code messages}, or {@code appId} + {@code nodeId} (an {@code ai}
     * node, rendered from {@code inputs}; {@code upstream} gives outputs of nodes before it instead
     * of running them; {@code version}: draft by default). Variants: {@code variants: [{model,
     * ...parameters}]}, or {@code models} × {@code parameterSets}; from an app, none means the
     * node as configured.
     */
    record ExperimentRequest(String name, String prompt, JsonNode messages, UUID appId, String nodeId, JsonNode version,
            Map<String, Object> inputs, Map<String, Object> upstream, JsonNode variants, JsonNode models,
            JsonNode parameterSets) {
    }

    @PostMapping
    @Operation(summary = "Run one prompt (or one ai node of an app) over several models and parameter sets",
            description = "Answers 201 with every variant's output, latency, tokens and cost; a failing variant reports "
                    + "its error without failing the others.")
    ResponseEntity<ExperimentView> create(Caller caller, @RequestBody ExperimentRequest r) {
        caller.require(KeyRole.BUILD);
        ExperimentView view = experiments.run(caller.workspaceId(), caller.keyId(), new ExperimentService.Request(
                r.name(), r.prompt(), r.messages(), r.appId(), r.nodeId(), r.version(), r.inputs(), r.upstream(),
                r.variants(), r.models(), r.parameterSets()));
        return ResponseEntity.created(URI.create("/api/v1/experiments/" + view.id())).body(view);
    }

    @GetMapping
    @Operation(summary = "Experiments of the workspace, newest first (optionally of one app)")
    ExperimentPage list(Caller caller, @RequestParam(required = false) UUID appId,
            @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 100) {
            throw ApiException.badRequest("limit must be between 1 and 100");
        }
        return experiments.list(caller.workspaceId(), appId, cursor, limit);
    }

    @GetMapping("/{experimentId}")
    @Operation(summary = "One experiment with every variant's result")
    ExperimentView get(Caller caller, @PathVariable UUID experimentId) {
        return experiments.get(caller.workspaceId(), experimentId);
    }
}
