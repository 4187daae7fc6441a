package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.NodeTraceView;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.engine.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs and their traces in PostgreSQL, with plain JDBC (a plain component, not a proxied
 * {@code @Repository}: JdbcTemplate already translates exceptions) (this is the hot path: a finished sync
 * run is one statement, one round trip, one commit). Every status change is guarded by
 * {@link RunLifecycle#predecessorNames}, so a final state is never overwritten.
 */
@Component
public class RunStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /**
     * Insert-or-finish of a run plus its whole trace. The run row is inserted already final (fast
     * sync runs) or, when it exists, moved to the final state if the lifecycle allows; node rows
     * are written only when the run row was.
     */
    private static final String FINISH = """
            WITH run AS (
                INSERT INTO runs (id, workspace_id, app_id, app_version, draft_revision, source, mode, status, inputs,
                                  trigger_data, outputs, error, usage, runner, api_key_id, created_at, started_at, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, outputs = EXCLUDED.outputs,
                    error = EXCLUDED.error, usage = EXCLUDED.usage, runner = EXCLUDED.runner,
                    started_at = COALESCE(runs.started_at, EXCLUDED.started_at), finished_at = EXCLUDED.finished_at
                WHERE runs.status = ANY (?)
                RETURNING id
            ), nodes AS (
                INSERT INTO run_nodes (run_id, node_id, seq, type, status, attempts, inputs, outputs, usage, error,
                                       started_at, latency_ms)
                SELECT run.id, t.node_id, t.seq, t.type, t.status, t.attempts, t.inputs, t.outputs, t.usage, t.error,
                       t.started_at, t.latency_ms
                FROM run, jsonb_to_recordset(?::jsonb) AS t(node_id text, seq int, type text, status text,
                    attempts int, inputs jsonb, outputs jsonb, usage jsonb, error jsonb, started_at timestamptz,
                    latency_ms float8)
                ON CONFLICT (run_id, node_id) DO UPDATE SET seq = EXCLUDED.seq, status = EXCLUDED.status,
                    attempts = EXCLUDED.attempts, inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs,
                    usage = EXCLUDED.usage, error = EXCLUDED.error, started_at = EXCLUDED.started_at,
                    latency_ms = EXCLUDED.latency_ms
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM run) AS runs""";

    private static final String INSERT_UNFINISHED = """
            INSERT INTO runs (id, workspace_id, app_id, app_version, draft_revision, source, mode, status, inputs,
                              trigger_data, runner, api_key_id, created_at, started_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING""";

    private static final String SAVE_NODE = """
            INSERT INTO run_nodes (run_id, node_id, seq, type, status, attempts, inputs, outputs, usage, error,
                                   started_at, latency_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?)
            ON CONFLICT (run_id, node_id) DO UPDATE SET seq = EXCLUDED.seq, status = EXCLUDED.status,
                attempts = EXCLUDED.attempts, inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs,
                usage = EXCLUDED.usage, error = EXCLUDED.error, started_at = EXCLUDED.started_at,
                latency_ms = EXCLUDED.latency_ms""";

    private static final String RUN_COLUMNS = """
            id, app_id, app_version, draft_revision, status, source, mode, inputs::text AS inputs,
            outputs::text AS outputs, error::text AS error, usage::text AS usage, created_at, started_at, finished_at""";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    RunStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Inserts a run that is not final yet (QUEUED or RUNNING). Idempotent. */
    public void insertUnfinished(RunRecord run, RunStatus status, Instant startedAt) {
        if (!RunLifecycle.INITIAL.contains(status)) {
            throw new IllegalArgumentException("a run is created queued or running, not " + status);
        }
        jdbc.update(INSERT_UNFINISHED, run.id(), run.workspaceId(), run.appId(), run.version(),
                run.version() == null ? run.draftRevision() : null, run.source().wireName(), run.mode().wireName(),
                status.wireName(), toJson(run.inputs()), run.trigger().isEmpty() ? null : toJson(run.trigger()),
                run.runner(), run.apiKeyId(), odt(run.createdAt()), odt(startedAt));
    }

    /** QUEUED → RUNNING by {@code runner}; false when the run is no longer queued (e.g. cancelled). */
    public boolean markRunning(UUID runId, String runner, Instant startedAt) {
        return jdbc.update("UPDATE runs SET status = 'running', runner = ?, started_at = ? WHERE id = ? AND status = ANY (?)",
                runner, odt(startedAt), runId, RunLifecycle.predecessorNames(RunStatus.RUNNING)) == 1;
    }

    /** Writes (or rewrites) one node's trace row: a checkpoint of a durable run. */
    public void saveNode(UUID runId, NodeTrace node) {
        jdbc.update(SAVE_NODE, runId, node.nodeId(), node.seq(), node.type(), node.status(), node.attempts(),
                toJson(node.inputs()), toJson(node.outputs()), toJson(node.usage()), toJson(node.error()),
                odt(node.startedAt()), node.latencyMs());
    }

    /**
     * Records the end of a run with its whole trace, in one statement.
     *
     * @return false when the run had already reached a state from which {@code status} may not
     *     follow (e.g. it was cancelled meanwhile): nothing was written
     */
    public boolean finish(RunRecord run, RunStatus status, Instant startedAt, Instant finishedAt,
            Map<String, Object> outputs, Map<String, Object> error, UsageView usage, List<NodeTrace> trace) {
        Long written = jdbc.queryForObject(FINISH, Long.class,
                run.id(), run.workspaceId(), run.appId(), run.version(),
                run.version() == null ? run.draftRevision() : null, run.source().wireName(), run.mode().wireName(),
                status.wireName(), toJson(run.inputs()), run.trigger().isEmpty() ? null : toJson(run.trigger()),
                toJson(outputs), toJson(error), toJson(usage), run.runner(), run.apiKeyId(), odt(run.createdAt()),
                odt(startedAt), odt(finishedAt), RunLifecycle.predecessorNames(status), toJson(traceRows(trace)));
        return written != null && written == 1;
    }

    public Optional<RunView> find(UUID workspaceId, UUID runId) {
        List<RunView> runs = jdbc.query("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ? AND workspace_id = ?",
                (rs, n) -> runView(rs, null), runId, workspaceId);
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        List<NodeTraceView> trace = jdbc.query("""
                SELECT node_id, type, status, attempts, inputs::text AS inputs, outputs::text AS outputs,
                       usage::text AS usage, error::text AS error, started_at, latency_ms
                FROM run_nodes WHERE run_id = ? ORDER BY seq, node_id""", (rs, n) -> nodeView(rs), runId);
        return Optional.of(withTrace(runs.getFirst(), trace));
    }

    /** Marks unfinished (queued/running) runs failed after a crash; null runner = every runner. */
    public int failInterrupted(String runner, Instant now, Map<String, Object> error) {
        // queued -> failed and running -> failed are both in the lifecycle; waiting_review runs are
        // not interrupted: they wait for a person, not for this process
        String sql = "UPDATE runs SET status = 'failed', error = ?::jsonb, finished_at = ? "
                + "WHERE status IN ('queued', 'running')" + (runner == null ? "" : " AND runner = ?");
        return runner == null ? jdbc.update(sql, toJson(error), odt(now)) : jdbc.update(sql, toJson(error), odt(now), runner);
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    RunView runView(ResultSet rs, List<NodeTraceView> trace) throws SQLException {
        Instant started = instant(rs, "started_at");
        Instant finished = instant(rs, "finished_at");
        return new RunView(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class),
                (Integer) rs.getObject("app_version"), (Integer) rs.getObject("draft_revision"), rs.getString("status"),
                rs.getString("source"), rs.getString("mode"), map(rs.getString("inputs")), map(rs.getString("outputs")),
                map(rs.getString("error")), usage(rs.getString("usage")), instant(rs, "created_at"), started, finished,
                latencyMs(started, finished), trace);
    }

    static RunView withTrace(RunView r, List<NodeTraceView> trace) {
        return new RunView(r.id(), r.appId(), r.version(), r.draftRevision(), r.status(), r.source(), r.mode(), r.inputs(),
                r.outputs(), r.error(), r.usage(), r.createdAt(), r.startedAt(), r.finishedAt(), r.latencyMs(), trace);
    }

    private NodeTraceView nodeView(ResultSet rs) throws SQLException {
        double latency = rs.getDouble("latency_ms");
        return new NodeTraceView(rs.getString("node_id"), rs.getString("type"), rs.getString("status"), map(rs.getString("inputs")),
                map(rs.getString("outputs")), instant(rs, "started_at"), rs.wasNull() ? null : latency,
                rs.getInt("attempts"), usage(rs.getString("usage")), map(rs.getString("error")));
    }

    static Double latencyMs(Instant started, Instant finished) {
        if (started == null || finished == null) {
            return null;
        }
        return java.time.Duration.between(started, finished).toNanos() / 1e6;
    }

    private List<Map<String, Object>> traceRows(List<NodeTrace> trace) {
        List<Map<String, Object>> rows = new ArrayList<>(trace.size());
        for (NodeTrace node : trace) {
            Map<String, Object> row = new LinkedHashMap<>(16);
            row.put("node_id", node.nodeId());
            row.put("seq", node.seq());
            row.put("type", node.type());
            row.put("status", node.status());
            row.put("attempts", node.attempts());
            row.put("inputs", node.inputs());
            row.put("outputs", node.outputs());
            row.put("usage", node.usage());
            row.put("error", node.error());
            row.put("started_at", node.startedAt() == null ? null : node.startedAt().toString());
            row.put("latency_ms", node.latencyMs());
            rows.add(row);
        }
        return rows;
    }

    String toJson(Object value) {
        return value == null ? null : json.writeValueAsString(value);
    }

    Map<String, Object> map(String text) {
        return text == null ? null : json.readValue(text, MAP);
    }

    UsageView usage(String text) {
        return text == null ? null : json.readValue(text, UsageView.class);
    }

    static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
