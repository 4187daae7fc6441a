package dev.switchboard.app.testing;

import dev.switchboard.app.testing.TestViews.AssertionResult;
import dev.switchboard.app.testing.TestViews.CaseChange;
import dev.switchboard.app.testing.TestViews.CaseResult;
import dev.switchboard.app.testing.TestViews.CaseSide;
import dev.switchboard.app.testing.TestViews.Comparison;
import dev.switchboard.app.testing.TestViews.TestRunView;
import dev.switchboard.app.web.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Side-by-side comparison of two test runs of an app. Each side is named by a test run id, or by
 * a version — {@code draft} or a published version number — meaning that version's newest
 * finished test run. Cases are matched by id; a case is reported when its verdict or its outputs
 * differ, or when only one side ran it.
 */
@Component
class TestComparisons {

    private final TestRunService testRuns;
    private final JsonMapper json;

    TestComparisons(TestRunService testRuns, JsonMapper json) {
        this.testRuns = testRuns;
        this.json = json;
    }

    Comparison compare(UUID workspaceId, UUID appId, String base, String head) {
        TestRunView b = resolve(workspaceId, appId, "base", base);
        TestRunView h = resolve(workspaceId, appId, "head", head);
        Map<UUID, CaseResult> baseCases = new LinkedHashMap<>();
        b.results().forEach(r -> baseCases.put(r.caseId(), r));
        List<CaseChange> changed = new ArrayList<>();
        int unchanged = 0;
        for (CaseResult hr : h.results()) {
            CaseResult br = baseCases.remove(hr.caseId());
            if (br == null) {
                changed.add(new CaseChange(hr.caseId(), hr.name(), List.of("added"), null, side(hr)));
                continue;
            }
            List<String> changes = new ArrayList<>(2);
            if (!br.verdict().equals(hr.verdict())) {
                changes.add("verdict");
            }
            if (!AssertionEvaluator.sameJson(json.valueToTree(outputs(br)), json.valueToTree(outputs(hr)))) {
                changes.add("outputs");
            }
            if (changes.isEmpty()) {
                unchanged++;
            } else {
                changed.add(new CaseChange(hr.caseId(), hr.name(), changes, side(br), side(hr)));
            }
        }
        for (CaseResult br : baseCases.values()) {
            changed.add(new CaseChange(br.caseId(), br.name(), List.of("removed"), side(br), null));
        }
        return new Comparison(TestRunStore.summary(b), TestRunStore.summary(h), changed, unchanged);
    }

    private TestRunView resolve(UUID workspaceId, UUID appId, String param, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest(param + " is required: a test run id, \"draft\" or a published version number");
        }
        String v = value.strip();
        try {
            return testRuns.get(workspaceId, appId, UUID.fromString(v));
        } catch (IllegalArgumentException notAnId) {
            // a version then
        }
        Integer version;
        if (v.equalsIgnoreCase("draft")) {
            version = null;
        } else {
            try {
                version = Integer.parseInt(v.startsWith("v") ? v.substring(1) : v);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(param + " must be a test run id, \"draft\" or a published version number; was '"
                        + v + "'");
            }
        }
        String what = version == null ? "The draft" : "Version " + version;
        UUID id = testRuns.latestFinished(workspaceId, appId, version).orElseThrow(() -> new ApiException(
                HttpStatus.NOT_FOUND, "not-found", "Not found", what + " has no finished test run yet; run the suite first: "
                + "POST /api/v1/apps/" + appId + "/test-runs {\"version\": " + (version == null ? "\"draft\"" : version) + "}",
                Map.of(param, v)));
        return testRuns.get(workspaceId, appId, id);
    }

    private static Map<String, Object> outputs(CaseResult r) {
        return r.outputs() == null ? Map.of() : r.outputs();
    }

    private static CaseSide side(CaseResult r) {
        List<String> failures = new ArrayList<>();
        if (r.error() != null && r.error().get("message") != null) {
            failures.add(String.valueOf(r.error().get("message")));
        }
        for (AssertionResult a : r.assertions()) {
            if (!a.passed()) {
                failures.add(a.message());
            }
        }
        return new CaseSide(r.verdict(), outputs(r), failures, r.runId());
    }
}
