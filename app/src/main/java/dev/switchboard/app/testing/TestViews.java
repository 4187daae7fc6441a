package dev.switchboard.app.testing;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.app.runs.RunViews.UsageView;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** What the test API returns. */
final class TestViews {
    private TestViews() {
    }

    /** A test case: inputs for one run of the app and the assertions its outputs must meet. */
    record TestCaseView(UUID id, UUID appId, String name, String description, Map<String, Object> inputs,
            JsonNode assertions, Instant createdAt, Instant updatedAt) {
    }

    /** The test cases of an app, oldest first (the order they run and are reported in). */
    record TestCaseList(List<TestCaseView> items) {
    }

    /**
     * One assertion's outcome: {@code message} says what was checked and, when it failed, what was
     * found instead; {@code details} carries kind-specific facts (a judge's reason, score and usage).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AssertionResult(String type, String output, boolean passed, String message, Map<String, Object> details) {
    }

    /**
     * One case of a test run.
     *
     * @param verdict {@code passed} (every assertion held), {@code failed} (one did not) or
     *     {@code error} (the case could not be judged: its run did not succeed, or its inputs do not
     *     fit the version that ran)
     * @param runId the app run that executed the case (its trace: {@code GET /api/v1/runs/{runId}})
     */
    record CaseResult(UUID caseId, String name, String verdict, UUID runId, String runStatus, Map<String, Object> inputs,
            Map<String, Object> outputs, Map<String, Object> error, Double latencyMs, UsageView usage,
            List<AssertionResult> assertions) {
    }

    /** Tokens and cost of a test run: the app runs, and separately what judge assertions spent. */
    record TestUsage(int inputTokens, int outputTokens, int totalTokens, BigDecimal cost, int judgeInputTokens,
            int judgeOutputTokens, BigDecimal judgeCost) {
    }

    /**
     * A test run: the suite against one version ({@code version}) or draft revision
     * ({@code version: null, draftRevision}).
     *
     * @param reason {@code api} or {@code publish} (the gate of an app that requires passing tests)
     * @param status {@code running}, {@code passed} (every case passed), {@code failed} or
     *     {@code interrupted} (the process stopped before it finished)
     */
    record TestRunView(UUID id, UUID appId, Integer version, Integer draftRevision, String reason, String status,
            int total, int passed, int failed, int errored, TestUsage usage, Instant createdAt, Instant finishedAt,
            List<CaseResult> results) {
    }

    record TestRunSummary(UUID id, UUID appId, Integer version, Integer draftRevision, String reason, String status,
            int total, int passed, int failed, int errored, Instant createdAt, Instant finishedAt) {
    }

    /** Test runs newest first; pass {@code nextCursor} as {@code cursor} for more (null: no more). */
    record TestRunPage(List<TestRunSummary> items, String nextCursor) {
    }

    /** Test settings of an app. */
    record TestSettings(boolean requireTestsToPublish) {
    }

    /** One side of a compared case: null when the case was not in that test run. */
    record CaseSide(String verdict, Map<String, Object> outputs, List<String> failures, UUID runId) {
    }

    /**
     * A case whose verdict or outputs differ between the two test runs (or that only one of them ran).
     *
     * @param changes what differs: {@code verdict}, {@code outputs}, {@code added} (only in head) or
     *     {@code removed} (only in base)
     */
    record CaseChange(UUID caseId, String name, List<String> changes, CaseSide base, CaseSide head) {
    }

    /**
     * Two test runs side by side: {@code changed} lists exactly the cases whose verdict or outputs
     * differ; {@code unchanged} counts the rest.
     */
    record Comparison(TestRunSummary base, TestRunSummary head, List<CaseChange> changed, int unchanged) {
    }
}
