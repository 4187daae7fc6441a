package dev.switchboard.app.testing;

import static dev.switchboard.app.testing.Jdbc.instant;
import static dev.switchboard.app.testing.Jdbc.integer;
import static dev.switchboard.app.testing.Jdbc.odt;

import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.app.testing.TestViews.AssertionResult;
import dev.switchboard.app.testing.TestViews.CaseResult;
import dev.switchboard.app.testing.TestViews.TestRunSummary;
import dev.switchboard.app.testing.TestViews.TestRunView;
import dev.switchboard.app.testing.TestViews.TestUsage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test runs and their per-case results in PostgreSQL (plain JDBC, each statement on its own unless
 * the caller has a transaction). A running test run's results appear one by one as its cases
 * finish. Thread-safe.
 */
@Component
class TestRunStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<AssertionResult>> ASSERTIONS = new TypeReference<>() {
    };
    private static final String RUN_COLUMNS = "id, workspace_id, app_id, app_version, draft_revision, reason, status, total, "
            + "passed, failed, errored, usage::text AS usage, created_at, finished_at";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    TestRunStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insertRun(TestRunSummary run, String runner, UUID apiKeyId, UUID workspaceId) {
        jdbc.update("""
                INSERT INTO test_runs (id, workspace_id, app_id, app_version, draft_revision, reason, status, total,
                                       runner, api_key_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", run.id(), workspaceId, run.appId(), run.version(),
                run.draftRevision(), run.reason(), run.status(), run.total(), runner, apiKeyId, odt(run.createdAt()));
    }

    void insertResult(UUID testRunId, int seq, CaseResult r) {
        jdbc.update("""
                INSERT INTO test_results (test_run_id, case_id, seq, case_name, inputs, verdict, run_id, run_status, outputs,
                                          error, assertions, latency_ms, usage)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?::jsonb)""", testRunId, r.caseId(), seq,
                r.name(), json.writeValueAsString(r.inputs()), r.verdict(), r.runId(), r.runStatus(), toJson(r.outputs()),
                toJson(r.error()), json.writeValueAsString(r.assertions()), r.latencyMs(), toJson(r.usage()));
    }

    /** Ends a running test run; false when it was no longer running. */
    boolean finish(UUID id, String status, int passed, int failed, int errored, TestUsage usage, Instant finishedAt) {
        return jdbc.update("""
                UPDATE test_runs SET status = ?, passed = ?, failed = ?, errored = ?, usage = ?::jsonb, finished_at = ?
                WHERE id = ? AND status = 'running'""", status, passed, failed, errored, toJson(usage), odt(finishedAt), id) == 1;
    }

    /** Marks test runs this process left running (it stopped meanwhile) as interrupted. */
    int markInterrupted(String runner, Instant now) {
        return jdbc.update("UPDATE test_runs SET status = 'interrupted', finished_at = ? WHERE status = 'running' AND runner = ?",
                odt(now), runner);
    }

    Optional<TestRunView> find(UUID workspaceId, UUID appId, UUID id) {
        Optional<TestRunView> run = jdbc.query("SELECT " + RUN_COLUMNS + " FROM test_runs WHERE id = ? AND app_id = ? "
                + "AND workspace_id = ?", (rs, n) -> view(rs, null), id, appId, workspaceId).stream().findFirst();
        return run.map(r -> withResults(r, results(r.id())));
    }

    /** The newest finished test run of a published version ({@code version}) or of the draft ({@code version} null). */
    Optional<UUID> latestFinished(UUID workspaceId, UUID appId, Integer version) {
        String versionTest = version == null ? "app_version IS NULL" : "app_version = ?";
        List<Object> args = new ArrayList<>(List.of(appId, workspaceId));
        if (version != null) {
            args.add(version);
        }
        return jdbc.query("SELECT id FROM test_runs WHERE app_id = ? AND workspace_id = ? AND status IN ('passed', 'failed') AND "
                + versionTest + " ORDER BY created_at DESC, id DESC LIMIT 1", (rs, n) -> rs.getObject(1, UUID.class),
                args.toArray()).stream().findFirst();
    }

    /** Newest first, keyset-paginated on (created_at, id). */
    List<TestRunSummary> list(UUID workspaceId, UUID appId, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM test_runs WHERE app_id = ? AND workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(appId, workspaceId));
        if (cursor != null) {
            Jdbc.Cursor c = Jdbc.Cursor.decode(cursor);
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(odt(c.createdAt()));
            args.add(c.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> summary(view(rs, null)), args.toArray());
    }

    private List<CaseResult> results(UUID testRunId) {
        return jdbc.query("""
                SELECT case_id, case_name, verdict, run_id, run_status, inputs::text AS inputs, outputs::text AS outputs,
                       error::text AS error, latency_ms, usage::text AS usage, assertions::text AS assertions
                FROM test_results WHERE test_run_id = ? ORDER BY seq""", (rs, n) -> new CaseResult(
                rs.getObject("case_id", UUID.class), rs.getString("case_name"), rs.getString("verdict"),
                rs.getObject("run_id", UUID.class), rs.getString("run_status"), map(rs.getString("inputs")),
                map(rs.getString("outputs")), map(rs.getString("error")), (Double) rs.getObject("latency_ms"),
                rs.getString("usage") == null ? null : json.readValue(rs.getString("usage"), UsageView.class),
                json.readValue(rs.getString("assertions"), ASSERTIONS)), testRunId);
    }

    private TestRunView view(ResultSet rs, List<CaseResult> results) throws SQLException {
        String usage = rs.getString("usage");
        return new TestRunView(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class),
                integer(rs, "app_version"), integer(rs, "draft_revision"), rs.getString("reason"), rs.getString("status"),
                rs.getInt("total"), rs.getInt("passed"), rs.getInt("failed"), rs.getInt("errored"),
                usage == null ? null : json.readValue(usage, TestUsage.class), instant(rs, "created_at"),
                instant(rs, "finished_at"), results);
    }

    static TestRunSummary summary(TestRunView r) {
        return new TestRunSummary(r.id(), r.appId(), r.version(), r.draftRevision(), r.reason(), r.status(), r.total(),
                r.passed(), r.failed(), r.errored(), r.createdAt(), r.finishedAt());
    }

    private static TestRunView withResults(TestRunView r, List<CaseResult> results) {
        int passed = r.passed();
        int failed = r.failed();
        int errored = r.errored();
        if (r.status().equals("running") || r.status().equals("interrupted")) {
            // counts are written at the end: show the progress so far
            passed = (int) results.stream().filter(c -> c.verdict().equals("passed")).count();
            failed = (int) results.stream().filter(c -> c.verdict().equals("failed")).count();
            errored = (int) results.stream().filter(c -> c.verdict().equals("error")).count();
        }
        return new TestRunView(r.id(), r.appId(), r.version(), r.draftRevision(), r.reason(), r.status(), r.total(), passed,
                failed, errored, r.usage(), r.createdAt(), r.finishedAt(), results);
    }

    private Map<String, Object> map(String text) {
        return text == null ? null : json.readValue(text, MAP);
    }

    private String toJson(Object value) {
        return value == null ? null : dev.switchboard.app.web.StorableText.jsonb(json.writeValueAsString(value));
    }
}
