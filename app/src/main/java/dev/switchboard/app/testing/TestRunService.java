package dev.switchboard.app.testing;

import dev.switchboard.app.apps.RunTargets;
import dev.switchboard.app.apps.RunTargets.RunTarget;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.runs.InstanceId;
import dev.switchboard.app.runs.RunService;
import dev.switchboard.app.runs.RunSource;
import dev.switchboard.app.runs.RunStart;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.support.Ids;
import dev.switchboard.app.testing.AssertionEvaluator.Observation;
import dev.switchboard.app.testing.AssertionEvaluator.Scope;
import dev.switchboard.app.testing.TestCaseService.RunnableCase;
import dev.switchboard.app.testing.TestViews.AssertionResult;
import dev.switchboard.app.testing.TestViews.CaseResult;
import dev.switchboard.app.testing.TestViews.TestRunPage;
import dev.switchboard.app.testing.TestViews.TestRunSummary;
import dev.switchboard.app.testing.TestViews.TestRunView;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Runs an app's test suite against a draft or a published version: every case is an app run
 * (source {@code test}, recorded with its trace like any run), at most
 * {@code switchboard.tests.concurrency} at once; each case's result is stored as soon as it is
 * judged, and the test run ends {@code passed} only when every case passed.
 */
@Service
class TestRunService {

    private static final Logger log = LoggerFactory.getLogger(TestRunService.class);

    /** Why a test run was started. */
    enum Reason {
        API, PUBLISH;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final TestCaseService cases;
    private final TestRunStore store;
    private final RunTargets targets;
    private final RunService runs;
    private final AssertionEvaluator evaluator;
    private final TestProperties properties;
    private final Ids ids;
    private final Clock clock;
    private final String runner;
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("test-run-", 0).factory());

    TestRunService(TestCaseService cases, TestRunStore store, RunTargets targets, RunService runs,
            AssertionEvaluator evaluator, TestProperties properties, Ids ids, Clock clock, InstanceId instanceId) {
        this.cases = cases;
        this.store = store;
        this.targets = targets;
        this.runs = runs;
        this.evaluator = evaluator;
        this.properties = properties;
        this.ids = ids;
        this.clock = clock;
        this.runner = instanceId.value();
    }

    /** A test run about to execute: its row is written, its cases and target fixed. */
    private record Plan(TestRunSummary run, UUID workspaceId, UUID apiKeyId, RunTarget target, List<RunnableCase> cases) {
    }

    /** Runs the whole suite and returns the finished test run. */
    TestRunView run(UUID workspaceId, UUID appId, VersionSelector selector, Reason reason, UUID apiKeyId) {
        Plan plan = plan(workspaceId, appId, selector, reason, apiKeyId);
        execute(plan);
        return get(workspaceId, appId, plan.run().id());
    }

    /** Starts the suite in the background and returns the test run as {@code running}. */
    TestRunSummary start(UUID workspaceId, UUID appId, VersionSelector selector, UUID apiKeyId) {
        Plan plan = plan(workspaceId, appId, selector, Reason.API, apiKeyId);
        background.submit(() -> {
            try {
                execute(plan);
            } catch (RuntimeException e) {
                log.error("Test run {} failed unexpectedly", plan.run().id(), e);
                store.finish(plan.run().id(), "interrupted", 0, 0, 0, null, clock.instant());
            }
        });
        return plan.run();
    }

    TestRunView get(UUID workspaceId, UUID appId, UUID testRunId) {
        cases.requireApp(workspaceId, appId);
        return store.find(workspaceId, appId, testRunId).orElseThrow(() -> ApiException.notFound("test run", testRunId));
    }

    TestRunPage list(UUID workspaceId, UUID appId, String cursor, int limit) {
        cases.requireApp(workspaceId, appId);
        List<TestRunSummary> items = store.list(workspaceId, appId, cursor, limit + 1);
        String next = null;
        if (items.size() > limit) {
            items = items.subList(0, limit);
            TestRunSummary last = items.getLast();
            next = new Jdbc.Cursor(last.createdAt(), last.id()).encode();
        }
        return new TestRunPage(items, next);
    }

    /** The newest finished test run of a published version, or of the draft ({@code version} null). */
    java.util.Optional<UUID> latestFinished(UUID workspaceId, UUID appId, Integer version) {
        return store.latestFinished(workspaceId, appId, version);
    }

    @EventListener(ApplicationReadyEvent.class)
    void markInterrupted() {
        int n = store.markInterrupted(runner, clock.instant());
        if (n > 0) {
            log.warn("Marked {} test run(s) interrupted by an earlier stop", n);
        }
    }

    @jakarta.annotation.PreDestroy
    void close() {
        background.shutdownNow();
    }

    private Plan plan(UUID workspaceId, UUID appId, VersionSelector selector, Reason reason, UUID apiKeyId) {
        RunTarget target = targets.resolve(workspaceId, appId, selector, true); // 404 for unknown apps and versions
        List<RunnableCase> suite = cases.runnable(workspaceId, appId);
        if (suite.isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, "no-test-cases", "The app has no test cases",
                    "There is nothing to run: add test cases with POST /api/v1/apps/" + appId + "/tests first",
                    Map.of("appId", appId));
        }
        Instant now = clock.instant();
        TestRunSummary run = new TestRunSummary(ids.next(), appId, target.version(),
                target.version() == null ? target.draftRevision() : null, reason.wireName(), "running", suite.size(), 0, 0,
                0, now, null);
        store.insertRun(run, runner, apiKeyId, workspaceId);
        return new Plan(run, workspaceId, apiKeyId, target, suite);
    }

    private void execute(Plan plan) {
        UsageMeter meter = new UsageMeter();
        Semaphore slots = new Semaphore(properties.concurrency());
        List<Future<CaseResult>> futures = new ArrayList<>(plan.cases().size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < plan.cases().size(); i++) {
                int seq = i;
                RunnableCase c = plan.cases().get(i);
                futures.add(executor.submit(() -> {
                    slots.acquire();
                    CaseResult result;
                    try {
                        result = runCase(plan, c, meter);
                    } catch (RuntimeException | StackOverflowError e) {
                        log.error("Test case {} of test run {} failed unexpectedly", c.stored().id(), plan.run().id(), e);
                        result = error(c, null, null, "internal", "The case could not be judged: "
                                + e.getClass().getSimpleName());
                    } finally {
                        slots.release();
                    }
                    store.insertResult(plan.run().id(), seq, result);
                    return result;
                }));
            }
        }
        int passed = 0;
        int failed = 0;
        int errored = 0;
        for (Future<CaseResult> f : futures) {
            if (f.state() != Future.State.SUCCESS) {
                // its result could not even be stored (database trouble, or the process is stopping)
                store.finish(plan.run().id(), "interrupted", passed, failed, errored, meter.total(), clock.instant());
                throw new IllegalStateException("a case of test run " + plan.run().id() + " was not recorded",
                        f.state() == Future.State.FAILED ? f.exceptionNow() : null);
            }
            CaseResult r = f.resultNow();
            switch (r.verdict()) {
                case "passed" -> passed++;
                case "failed" -> failed++;
                default -> errored++;
            }
            meter.addRun(r.usage());
        }
        String status = passed == plan.cases().size() ? "passed" : "failed";
        store.finish(plan.run().id(), status, passed, failed, errored, meter.total(), clock.instant());
    }

    private CaseResult runCase(Plan plan, RunnableCase c, UsageMeter meter) {
        var stored = c.stored();
        if (!c.problems().isEmpty()) {
            return error(c, null, null, "invalid_assertions", "The case's assertions no longer compile: "
                    + String.join("; ", c.problems().stream().map(p -> p.field() + ": " + p.message()).toList()));
        }
        RunTarget target = plan.target();
        VersionSelector pinned = target.version() == null ? VersionSelector.DRAFT : new VersionSelector.Exact(target.version());
        RunView run;
        try {
            run = runs.runSync(new RunStart(plan.workspaceId(), stored.appId(), pinned, true, stored.inputs(), Map.of(),
                    RunSource.TEST, plan.apiKeyId()));
        } catch (ApiException e) {
            return error(c, null, null, e.code(), describe(e));
        } catch (RuntimeException e) {
            log.warn("Test case {} of test run {} could not run", stored.id(), plan.run().id(), e);
            return error(c, null, null, "internal", "The case could not be run: " + e.getClass().getSimpleName());
        }
        boolean expectsStatus = c.assertions().stream().anyMatch(a -> a instanceof Assertion.Status);
        Map<String, Object> outputs = run.outputs() == null ? Map.of() : run.outputs();
        if (!expectsStatus && !run.status().equals("succeeded")) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", "run_" + run.status());
            error.put("message", "The run ended " + run.status() + (run.error() != null && run.error().get("message") != null
                    ? ": " + run.error().get("message") : ""));
            if (run.error() != null) {
                error.put("run", run.error());
            }
            return new CaseResult(stored.id(), stored.name(), "error", run.id(), run.status(), stored.inputs(), outputs,
                    error, run.latencyMs(), run.usage(), List.of());
        }
        Observation observation = new Observation(run.status(), outputs, target.graph().outputNames(), run.latencyMs(),
                run.usage());
        List<AssertionResult> results = evaluator.evaluate(c.assertions(), observation,
                new Scope(plan.workspaceId(), stored.appId(), plan.run().id(), meter::addJudge));
        boolean allPassed = results.stream().allMatch(AssertionResult::passed);
        return new CaseResult(stored.id(), stored.name(), allPassed ? "passed" : "failed", run.id(), run.status(),
                stored.inputs(), outputs, null, run.latencyMs(), run.usage(), results);
    }

    private static CaseResult error(RunnableCase c, UUID runId, String runStatus, String type, String message) {
        var s = c.stored();
        return new CaseResult(s.id(), s.name(), "error", runId, runStatus, s.inputs(), Map.of(),
                Map.of("type", type, "message", message), null, null, List.of());
    }

    /** An API error as one line, with its field problems (e.g. inputs the version no longer accepts). */
    private static String describe(ApiException e) {
        StringBuilder s = new StringBuilder(e.getMessage());
        if (e.properties().get("errors") instanceof List<?> errors) {
            for (Object o : errors) {
                if (o instanceof FieldProblem p) {
                    s.append("; ").append(p.field()).append(": ").append(p.message());
                }
            }
        }
        return s.toString();
    }
}
