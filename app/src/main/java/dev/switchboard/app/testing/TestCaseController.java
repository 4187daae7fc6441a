package dev.switchboard.app.testing;

import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import dev.switchboard.app.testing.TestViews.TestCaseList;
import dev.switchboard.app.testing.TestViews.TestCaseView;
import dev.switchboard.app.testing.TestViews.TestSettings;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/apps/{appId}")
@Tag(name = "Tests", description = "Test cases of an app: example inputs with assertions on the outputs")
class TestCaseController {

    private final TestCaseService cases;

    TestCaseController(TestCaseService cases) {
        this.cases = cases;
    }

    /**
     * @param inputs values for the app's input fields (checked against the current draft)
     * @param assertions checks on the run: see {@link AssertionParser} for each kind's JSON
     */
    record CaseRequest(String name, String description, Map<String, Object> inputs, JsonNode assertions) {
    }

    record SettingsRequest(Boolean requireTestsToPublish) {
    }

    @PostMapping("/tests")
    @Operation(summary = "Add a test case (422 lists every problem: bad inputs, bad regex or schema, unknown outputs)")
    ResponseEntity<TestCaseView> create(Caller caller, @PathVariable UUID appId, @RequestBody CaseRequest request) {
        caller.require(KeyRole.BUILD);
        TestCaseView created = cases.create(caller.workspaceId(), appId, input(request));
        return ResponseEntity.created(URI.create("/api/v1/apps/" + appId + "/tests/" + created.id())).body(created);
    }

    @GetMapping("/tests")
    @Operation(summary = "The app's test cases, oldest first")
    TestCaseList list(Caller caller, @PathVariable UUID appId) {
        return new TestCaseList(cases.list(caller.workspaceId(), appId));
    }

    @GetMapping("/tests/{testId}")
    @Operation(summary = "One test case")
    TestCaseView get(Caller caller, @PathVariable UUID appId, @PathVariable UUID testId) {
        return cases.get(caller.workspaceId(), appId, testId);
    }

    @PutMapping("/tests/{testId}")
    @Operation(summary = "Replace a test case (name, description, inputs, assertions)")
    TestCaseView update(Caller caller, @PathVariable UUID appId, @PathVariable UUID testId,
            @RequestBody CaseRequest request) {
        caller.require(KeyRole.BUILD);
        return cases.update(caller.workspaceId(), appId, testId, input(request));
    }

    @DeleteMapping("/tests/{testId}")
    @Operation(summary = "Delete a test case (past test runs keep their results)")
    ResponseEntity<Void> delete(Caller caller, @PathVariable UUID appId, @PathVariable UUID testId) {
        caller.require(KeyRole.BUILD);
        cases.delete(caller.workspaceId(), appId, testId);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/settings")
    @Operation(summary = "The app's test settings")
    TestSettings settings(Caller caller, @PathVariable UUID appId) {
        return cases.settings(caller.workspaceId(), appId);
    }

    @PutMapping("/settings")
    @Operation(summary = "Change the app's test settings: requireTestsToPublish makes publishing run the suite on the "
            + "draft first and refuse when a case fails")
    TestSettings saveSettings(Caller caller, @PathVariable UUID appId, @RequestBody SettingsRequest request) {
        caller.require(KeyRole.BUILD);
        if (request.requireTestsToPublish() == null) {
            throw ApiException.invalidFields("The request is invalid", List.of(new FieldProblem("requireTestsToPublish",
                    "required", "requireTestsToPublish is required: true or false")));
        }
        return cases.saveSettings(caller.workspaceId(), appId, new TestSettings(request.requireTestsToPublish()));
    }

    private static TestCaseService.CaseInput input(CaseRequest r) {
        return new TestCaseService.CaseInput(r.name(), r.description(), r.inputs(), r.assertions());
    }
}
