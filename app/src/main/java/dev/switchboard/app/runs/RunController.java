package dev.switchboard.app.runs;

import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.runs.RunViews.RunAccepted;
import dev.switchboard.app.runs.RunViews.RunPage;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

@RestController
@Tag(name = "Runs", description = "Run apps (sync, async, streamed) and read their traces")
class RunController {

    private final RunService runs;
    private final RunQueries queries;
    private final RunProperties properties;

    RunController(RunService runs, RunQueries queries, RunProperties properties) {
        this.runs = runs;
        this.queries = queries;
        this.properties = properties;
    }

    /**
     * @param inputs values for the input node's fields
     * @param version {@code "draft"}, {@code "latest"} or a published version number; absent: the
     *     latest published version, or the draft when nothing was published
     * @param timeout how long the run may take before it ends {@code timed_out}: milliseconds, or a
     *     duration such as {@code "30s"}, {@code "500ms"}, {@code "5m"}, {@code "1h"}, {@code "PT30S"};
     *     absent: {@code switchboard.runs.deadline}
     */
    record StartRunRequest(Map<String, Object> inputs, JsonNode version, JsonNode timeout) {
    }

    @PostMapping(value = "/api/v1/apps/{appId}/runs", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_EVENT_STREAM_VALUE})
    @Operation(summary = "Run an app",
            description = "mode=sync (default) answers with the finished run and its trace; mode=async answers 202 with "
                    + "the run id (poll Location); mode=stream (or Accept: text/event-stream) streams run, node and token "
                    + "events and ends with a done event holding the run.")
    Object start(Caller caller, @PathVariable UUID appId, @RequestBody(required = false) StartRunRequest request,
            @Parameter(description = "sync | async | stream") @RequestParam(required = false) String mode,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        caller.require(KeyRole.RUN);
        RunStart start = new RunStart(caller.workspaceId(), appId, selector(request), true,
                request == null ? Map.of() : request.inputs(), Map.of(), RunSource.API, caller.keyId(),
                request == null ? null : RunTimeouts.parse(request.timeout()));
        return switch (mode(mode, accept)) {
            case SYNC -> {
                RunView run = runs.runSync(start);
                yield ResponseEntity.ok().location(URI.create("/api/v1/runs/" + run.id()))
                        .contentType(MediaType.APPLICATION_JSON).body(run);
            }
            case ASYNC -> {
                RunAccepted accepted = runs.runAsync(start);
                yield ResponseEntity.accepted().location(URI.create("/api/v1/runs/" + accepted.id()))
                        .contentType(MediaType.APPLICATION_JSON).body(accepted);
            }
            case STREAM -> {
                SseEmitter emitter = new SseEmitter(properties.deadline().plusMinutes(1).toMillis());
                runs.runStreaming(start, new SseRunSink(emitter));
                yield emitter;
            }
        };
    }

    @GetMapping("/api/v1/runs/{runId}")
    @Operation(summary = "A run with its per-node trace")
    RunView get(Caller caller, @PathVariable UUID runId) {
        return runs.get(caller.workspaceId(), runId);
    }

    @PostMapping("/api/v1/runs/{runId}/cancel")
    @Operation(summary = "Cancel a queued or running run (409 when it already ended)")
    RunView cancel(Caller caller, @PathVariable UUID runId) {
        caller.require(KeyRole.RUN);
        return runs.cancel(caller.workspaceId(), runId);
    }

    @GetMapping("/api/v1/runs")
    @Operation(summary = "Runs of the workspace, newest first, with filters and cursor pagination")
    RunPage list(Caller caller, @RequestParam(required = false) UUID appId,
            @Parameter(description = "queued | running | waiting_review | succeeded | failed | blocked | rejected | timed_out | cancelled")
            @RequestParam(required = false) String status,
            @Parameter(description = "api | share | twilio | test") @RequestParam(required = false) String source,
            @Parameter(description = "ISO-8601 instant: runs created at or after it") @RequestParam(required = false) String since,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 200) {
            throw ApiException.badRequest("limit must be between 1 and 200");
        }
        return queries.list(caller.workspaceId(), new RunQueries.Filter(appId, status, source, parseInstant(since)),
                cursor, limit);
    }

    private static VersionSelector selector(StartRunRequest request) {
        if (request == null || request.version() == null || request.version().isNull()) {
            return VersionSelector.LATEST;
        }
        JsonNode v = request.version();
        if (v.isIntegralNumber()) {
            return VersionSelector.parse(Long.toString(v.longValue()));
        }
        if (v.isString()) {
            return VersionSelector.parse(v.asString());
        }
        return VersionSelector.parse("not a version");
    }

    private static RunMode mode(String mode, String accept) {
        if (mode == null || mode.isBlank()) {
            return accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE) ? RunMode.STREAM : RunMode.SYNC;
        }
        try {
            return RunMode.fromWireName(mode.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static Instant parseInstant(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}
