package dev.switchboard.app.testing;

import dev.switchboard.app.apps.PublishGuard;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.testing.TestViews.CaseResult;
import dev.switchboard.app.testing.TestViews.TestRunView;
import dev.switchboard.app.web.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The publish gate: an app with {@code requireTestsToPublish} publishes only a draft that passes
 * every test case. The suite runs against the draft about to be published (a test run with
 * reason {@code publish}, kept like any other); a failure refuses the publish with 409
 * {@code tests-failed} listing each failing case and why.
 */
@Component
class PublishTestGate implements PublishGuard {

    private final TestCaseService cases;
    private final TestRunService testRuns;

    PublishTestGate(TestCaseService cases, TestRunService testRuns) {
        this.cases = cases;
        this.testRuns = testRuns;
    }

    @Override
    public void beforePublish(UUID workspaceId, UUID appId, int draftRevision, UUID publishedBy) {
        if (!cases.requireTestsToPublish(appId)) {
            return;
        }
        TestRunView run;
        try {
            run = testRuns.run(workspaceId, appId, VersionSelector.DRAFT, TestRunService.Reason.PUBLISH, publishedBy);
        } catch (ApiException e) {
            if (e.code().equals("no-test-cases")) {
                throw new ApiException(HttpStatus.CONFLICT, "no-test-cases", "The app has no test cases",
                        "The app requires passing tests to publish, but has no test cases: add some with POST /api/v1/apps/"
                                + appId + "/tests, or turn requireTestsToPublish off", Map.of("appId", appId));
            }
            throw e;
        }
        if (run.status().equals("passed")) {
            return;
        }
        List<Map<String, Object>> failing = new ArrayList<>();
        for (CaseResult r : run.results()) {
            if (!r.verdict().equals("passed")) {
                failing.add(failure(r));
            }
        }
        int bad = run.failed() + run.errored();
        throw new ApiException(HttpStatus.CONFLICT, "tests-failed", "The draft fails its tests",
                bad + " of " + run.total() + " test cases did not pass on draft revision " + run.draftRevision()
                        + "; nothing was published", Map.of("appId", appId, "testRunId", run.id(), "failingCases", failing));
    }

    private static Map<String, Object> failure(CaseResult r) {
        List<String> reasons = new ArrayList<>();
        if (r.error() != null && r.error().get("message") != null) {
            reasons.add(String.valueOf(r.error().get("message")));
        }
        r.assertions().stream().filter(a -> !a.passed()).forEach(a -> reasons.add(a.message()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caseId", r.caseId());
        m.put("name", r.name());
        m.put("verdict", r.verdict());
        m.put("failures", reasons);
        if (r.runId() != null) {
            m.put("runId", r.runId());
        }
        return m;
    }
}
