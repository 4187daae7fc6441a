package dev.switchboard.app.testing;

import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.testing.TestViews.Comparison;
import dev.switchboard.app.testing.TestViews.TestRunPage;
import dev.switchboard.app.testing.TestViews.TestRunSummary;
import dev.switchboard.app.testing.TestViews.TestRunView;
import dev.switchboard.app.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
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
@RequestMapping("/api/v1/apps/{appId}/test-runs")
@Tag(name = "Tests", description = "Run an app's test suite against a draft or a published version and compare results")
class TestRunController {

    private final TestRunService testRuns;
    private final TestComparisons comparisons;

    TestRunController(TestRunService testRuns, TestComparisons comparisons) {
        this.testRuns = testRuns;
        this.comparisons = comparisons;
    }

    /** @param version {@code "draft"} (default), {@code "latest"} or a published version number */
    record StartTestRunRequest(JsonNode version) {
    }

    @PostMapping
    @Operation(summary = "Run every test case against the draft or a published version",
            description = "mode=sync (default) answers 201 with the finished test run; mode=async answers 202 at once "
                    + "(poll Location). 409 when the app has no test cases.")
    ResponseEntity<?> start(Caller caller, @PathVariable UUID appId,
            @RequestBody(required = false) StartTestRunRequest request,
            @Parameter(description = "sync | async") @RequestParam(required = false) String mode) {
        caller.require(KeyRole.BUILD);
        VersionSelector selector = selector(request);
        boolean async = "async".equalsIgnoreCase(mode == null ? "" : mode.strip());
        if (mode != null && !async && !"sync".equalsIgnoreCase(mode.strip())) {
            throw ApiException.badRequest("mode must be sync or async");
        }
        if (async) {
            TestRunSummary run = testRuns.start(caller.workspaceId(), appId, selector, caller.keyId());
            return ResponseEntity.accepted().location(location(appId, run.id())).body(run);
        }
        TestRunView run = testRuns.run(caller.workspaceId(), appId, selector, TestRunService.Reason.API, caller.keyId());
        return ResponseEntity.created(location(appId, run.id())).body(run);
    }

    @GetMapping
    @Operation(summary = "Test runs of the app, newest first")
    TestRunPage list(Caller caller, @PathVariable UUID appId, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 100) {
            throw ApiException.badRequest("limit must be between 1 and 100");
        }
        return testRuns.list(caller.workspaceId(), appId, cursor, limit);
    }

    @GetMapping("/compare")
    @Operation(summary = "Two test runs side by side: exactly the cases whose verdict or outputs changed",
            description = "base and head are each a test run id, or a version (\"draft\" or a published version number) "
                    + "meaning its newest finished test run.")
    Comparison compare(Caller caller, @PathVariable UUID appId, @RequestParam(required = false) String base,
            @RequestParam(required = false) String head) {
        return comparisons.compare(caller.workspaceId(), appId, base, head);
    }

    @GetMapping("/{testRunId}")
    @Operation(summary = "A test run with each case's result (while running: the cases finished so far)")
    TestRunView get(Caller caller, @PathVariable UUID appId, @PathVariable UUID testRunId) {
        return testRuns.get(caller.workspaceId(), appId, testRunId);
    }

    private static URI location(UUID appId, UUID testRunId) {
        return URI.create("/api/v1/apps/" + appId + "/test-runs/" + testRunId);
    }

    private static VersionSelector selector(StartTestRunRequest request) {
        if (request == null || request.version() == null || request.version().isNull()) {
            return VersionSelector.DRAFT;
        }
        JsonNode v = request.version();
        if (v.isIntegralNumber()) {
            return VersionSelector.parse(Long.toString(v.longValue()));
        }
        return VersionSelector.parse(v.isString() ? v.asString() : "not a version");
    }
}
