package dev.switchboard.app.testing;

import dev.switchboard.app.apps.RunTargets;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.support.Ids;
import dev.switchboard.app.testing.TestCaseStore.TestCase;
import dev.switchboard.app.testing.TestViews.TestCaseView;
import dev.switchboard.app.testing.TestViews.TestSettings;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.engine.CompiledGraph;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * Test cases of an app (CRUD) and its test settings. A case is checked when saved against the
 * app's current draft: its inputs must be inputs the draft accepts, its assertions must compile
 * (valid regex and JSON Schema, known output names, a judge model) — 422 lists every problem.
 * Every method is scoped by workspace: another workspace's app is a 404.
 */
@Service
class TestCaseService {

    /** Fields of a case as a client sends them (create, or full replace). */
    record CaseInput(String name, String description, Map<String, Object> inputs, JsonNode assertions) {
    }

    /** A stored case with its assertions compiled for a run, or the problems that keep them from compiling. */
    record RunnableCase(TestCase stored, List<Assertion> assertions, List<FieldProblem> problems) {
    }

    private final TestCaseStore store;
    private final RunTargets targets;
    private final AssertionParser parser;
    private final TestProperties properties;
    private final Ids ids;
    private final Clock clock;

    TestCaseService(TestCaseStore store, RunTargets targets, TestProperties properties, Ids ids, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.parser = new AssertionParser(new JsonSchemas());
        this.properties = properties;
        this.ids = ids;
        this.clock = clock;
    }

    @Transactional
    TestCaseView create(UUID workspaceId, UUID appId, CaseInput input) {
        CaseInput valid = validate(workspaceId, appId, input);
        if (store.count(workspaceId, appId) >= properties.maxCases()) {
            throw ApiException.conflict("The app already has " + properties.maxCases()
                    + " test cases, the most allowed (switchboard.tests.max-cases)").with("appId", appId);
        }
        Instant now = clock.instant();
        TestCase t = new TestCase(ids.next(), workspaceId, appId, valid.name(), valid.description(), valid.inputs(),
                valid.assertions(), now, now);
        try {
            store.insert(t);
        } catch (DuplicateKeyException e) {
            throw duplicateName(valid.name());
        }
        return view(t);
    }

    /** Replaces a case's name, description, inputs and assertions. */
    @Transactional
    TestCaseView update(UUID workspaceId, UUID appId, UUID caseId, CaseInput input) {
        TestCase old = store.find(workspaceId, appId, caseId).orElseThrow(() -> ApiException.notFound("test case", caseId));
        CaseInput valid = validate(workspaceId, appId, input);
        TestCase t = new TestCase(old.id(), workspaceId, appId, valid.name(), valid.description(), valid.inputs(),
                valid.assertions(), old.createdAt(), clock.instant());
        try {
            store.update(t);
        } catch (DuplicateKeyException e) {
            throw duplicateName(valid.name());
        }
        return view(t);
    }

    @Transactional
    void delete(UUID workspaceId, UUID appId, UUID caseId) {
        requireApp(workspaceId, appId);
        if (!store.delete(workspaceId, appId, caseId)) {
            throw ApiException.notFound("test case", caseId);
        }
    }

    @Transactional(readOnly = true)
    TestCaseView get(UUID workspaceId, UUID appId, UUID caseId) {
        requireApp(workspaceId, appId);
        return store.find(workspaceId, appId, caseId).map(TestCaseService::view)
                .orElseThrow(() -> ApiException.notFound("test case", caseId));
    }

    @Transactional(readOnly = true)
    List<TestCaseView> list(UUID workspaceId, UUID appId) {
        requireApp(workspaceId, appId);
        return store.list(workspaceId, appId).stream().map(TestCaseService::view).toList();
    }

    @Transactional(readOnly = true)
    TestSettings settings(UUID workspaceId, UUID appId) {
        requireApp(workspaceId, appId);
        return new TestSettings(store.requireTestsToPublish(appId));
    }

    @Transactional
    TestSettings saveSettings(UUID workspaceId, UUID appId, TestSettings settings) {
        requireApp(workspaceId, appId);
        store.saveSettings(appId, settings.requireTestsToPublish(), clock.instant());
        return settings;
    }

    boolean requireTestsToPublish(UUID appId) {
        return store.requireTestsToPublish(appId);
    }

    /**
     * The app's cases, oldest first, with assertions compiled for a run (output names are not
     * checked here: the version under test decides which outputs exist).
     */
    List<RunnableCase> runnable(UUID workspaceId, UUID appId) {
        List<RunnableCase> cases = new ArrayList<>();
        for (TestCase t : store.list(workspaceId, appId)) {
            List<FieldProblem> problems = new ArrayList<>();
            List<Assertion> assertions = parser.parse(t.assertions(), null, properties.judgeModel(), problems);
            cases.add(new RunnableCase(t, assertions, problems));
        }
        return cases;
    }

    void requireApp(UUID workspaceId, UUID appId) {
        if (!store.appExists(workspaceId, appId)) {
            throw ApiException.notFound("app", appId);
        }
    }

    private CaseInput validate(UUID workspaceId, UUID appId, CaseInput input) {
        CompiledGraph draft = targets.resolve(workspaceId, appId, VersionSelector.DRAFT, true).graph(); // 404 when unknown
        List<FieldProblem> problems = new ArrayList<>();
        String name = input.name() == null ? "" : input.name().strip();
        if (name.isEmpty() || name.length() > 200) {
            problems.add(new FieldProblem("name", name.isEmpty() ? "required" : "out-of-range",
                    "name is required: 1 to 200 characters"));
        }
        String description = input.description() == null || input.description().isBlank() ? null : input.description().strip();
        if (description != null && description.length() > 4000) {
            problems.add(new FieldProblem("description", "out-of-range", "description must be at most 4000 characters"));
        }
        Map<String, Object> inputs = input.inputs() == null ? Map.of() : input.inputs();
        draft.checkInputs(inputs).forEach(p -> problems.add(new FieldProblem(
                p.field() == null ? "inputs" : "inputs." + p.field(), p.code(), p.message())));
        parser.parse(input.assertions(), new LinkedHashSet<>(draft.outputNames()), properties.judgeModel(), problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalidFields("The test case is invalid", problems);
        }
        return new CaseInput(name, description, inputs, input.assertions());
    }

    private static ApiException duplicateName(String name) {
        return new ApiException(HttpStatus.CONFLICT, "duplicate-name", "Conflict",
                "The app already has a test case named '" + name + "'", Map.of("name", name));
    }

    private static TestCaseView view(TestCase t) {
        return new TestCaseView(t.id(), t.appId(), t.name(), t.description(), t.inputs(), t.assertions(), t.createdAt(),
                t.updatedAt());
    }
}
