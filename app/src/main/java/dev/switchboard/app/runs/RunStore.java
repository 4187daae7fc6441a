package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.NodeTraceView;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.app.web.StorableText;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs, their traces and checkpoints in PostgreSQL, with plain JDBC: this is the hot path. A
 * finished fast sync run is one INSERT (one row, trace as JSONB, one commit). Durable runs are
 * inserted unfinished, checkpoint finished nodes into {@code run_nodes}, and get their final
 * state and trace with one guarded UPDATE. Every status change is guarded by
 * {@link RunLifecycle#predecessorNames}, so a final state is never overwritten, and writes of an
 * executing run are fenced by its lease: a process whose lease was taken over (see
 * {@link RunQueue}) can no longer write the run's checkpoints or end it.
 *
 * <p>A plain component, not a proxied {@code @Repository}: {@link JdbcTemplate} already translates
 * exceptions. Thread-safe.
 */
@Component
public class RunStore {

    private static final Logger log = LoggerFactory.getLogger(RunStore.class);

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<NodeTrace>> TRACE = new TypeReference<>() {
    };

    private static final String INSERT = """
            INSERT INTO runs (id, workspace_id, app_id, app_version, draft_revision, source, mode, status, inputs,
                              trigger_data, outputs, error, usage, trace, runner, api_key_id, created_at, started_at,
                              finished_at, deadline_at, lease_owner, lease_expires_at, claims)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?, ?, ?,
                    now() + ?::bigint * interval '1 millisecond', ?)""";

    private static final String FINISH = """
            UPDATE runs SET status = ?, outputs = ?::jsonb, error = ?::jsonb, usage = ?::jsonb, trace = ?::jsonb,
                            runner = ?, started_at = COALESCE(started_at, ?), finished_at = ?,
                            lease_owner = NULL, lease_expires_at = NULL
            WHERE id = ? AND status = ANY (?) AND (lease_owner IS NULL OR lease_owner = ?)""";

    /** Upserts checkpoint rows (VALUES rows appended), fenced: only while this process may write the run. */
    private static final String SAVE_NODES = """
            INSERT INTO run_nodes (run_id, node_id, seq, type, status, attempts, inputs, outputs, usage, error,
                                   checkpoint, started_at, latency_ms)
            SELECT v.run_id, v.node_id, v.seq, v.type, v.status, v.attempts, v.inputs::jsonb, v.outputs::jsonb,
                   v.usage::jsonb, v.error::jsonb, v.checkpoint::jsonb, v.started_at, v.latency_ms
            FROM (VALUES %s) AS v (run_id, node_id, seq, type, status, attempts, inputs, outputs, usage, error,
                                   checkpoint, started_at, latency_ms)
            WHERE EXISTS (SELECT 1 FROM runs r WHERE r.id = ? AND (r.lease_owner IS NULL OR r.lease_owner = ?))
            ON CONFLICT (run_id, node_id) DO UPDATE SET seq = EXCLUDED.seq, status = EXCLUDED.status,
                attempts = EXCLUDED.attempts, inputs = EXCLUDED.inputs, outputs = EXCLUDED.outputs,
                usage = EXCLUDED.usage, error = EXCLUDED.error, checkpoint = EXCLUDED.checkpoint,
                started_at = EXCLUDED.started_at, latency_ms = EXCLUDED.latency_ms""";

    private static final String NODE_COLUMNS = """
            node_id, seq, type, status, attempts, inputs::text AS inputs, outputs::text AS outputs,
            usage::text AS usage, error::text AS error, checkpoint::text AS checkpoint, started_at, latency_ms""";

    private static final String RUN_COLUMNS = """
            id, app_id, app_version, draft_revision, status, source, mode, inputs::text AS inputs,
            trigger_data::text AS trigger_data, outputs::text AS outputs, error::text AS error, usage::text AS usage, trace::text AS trace, created_at,
            started_at, finished_at""";

    private static final String NODE_ROW = "(?::uuid, ?, ?::int, ?, ?, ?::int, ?, ?, ?, ?, ?, ?::timestamptz, ?::float8)";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final ObjectProvider<RunSuspensionListener> suspensionListeners;
    private final Semaphore writers;
    /** This process incarnation: the lease owner of every run it executes. */
    private final String owner;
    private final long leaseMillis;

    RunStore(JdbcTemplate jdbc, JsonMapper json, RunProperties properties,
            ObjectProvider<RunSuspensionListener> suspensionListeners, InstanceId instance, QueueProperties queue) {
        this.jdbc = jdbc;
        this.json = json;
        this.writers = new Semaphore(properties.maxConcurrentWrites(), true);
        this.suspensionListeners = suspensionListeners;
        this.owner = instance.leaseOwner();
        this.leaseMillis = queue.lease().toMillis();
    }

    /**
     * Runs one hot-path write with at most {@code switchboard.runs.max-concurrent-writes} of them
     * in flight. Many more concurrent statements than cores only make PostgreSQL's backends
     * time-slice against each other and the app; waiting here (a parked virtual thread, FIFO)
     * is cheaper than waiting in the run queue, and cheaper than HikariCP's hand-off spinning.
     *
     * <p>A write inside a caller's transaction (a webhook recording its delivery together with the
     * run it queues) is not capped: it already holds a pooled connection, and waiting for a permit
     * while writers holding permits wait for a connection would deadlock once the pool is drained.
     */
    private <T> T write(java.util.function.Supplier<T> statement) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return statement.get();
        }
        writers.acquireUninterruptibly();
        try {
            return statement.get();
        } finally {
            writers.release();
        }
    }

    /** Inserts a run that is not final yet (QUEUED or RUNNING), without a trace and without a deadline. */
    public void insertUnfinished(RunRecord run, RunStatus status, Instant startedAt) {
        insertUnfinished(run, status, startedAt, null);
    }

    /**
     * Inserts a run that is not final yet, joining the caller's transaction if there is one. A
     * QUEUED run waits for a worker ({@link RunQueue}); a RUNNING one is leased to this process,
     * which executes it (its heartbeat keeps the lease).
     *
     * @param deadline when the run ends {@code timed_out} (also if no process is left to notice), or null
     */
    public void insertUnfinished(RunRecord run, RunStatus status, Instant startedAt, Instant deadline) {
        if (!RunLifecycle.INITIAL.contains(status)) {
            throw new IllegalArgumentException("a run is created queued or running, not " + status);
        }
        boolean leased = status == RunStatus.RUNNING;
        jdbc.update(INSERT, run.id(), run.workspaceId(), run.appId(), run.version(),
                run.version() == null ? run.draftRevision() : null, run.source().wireName(), run.mode().wireName(),
                status.wireName(), toJson(run.inputs()), run.trigger().isEmpty() ? null : toJson(run.trigger()),
                null, null, null, null, run.runner(), run.apiKeyId(), odt(run.createdAt()), odt(startedAt), null,
                odt(deadline), leased ? owner : null, leased ? leaseMillis : null, leased ? 1 : 0);
    }

    /**
     * Records a run never written before, already ended, with its trace: one INSERT. For the fast
     * sync path only (its row cannot exist yet); {@link #finish} handles the others.
     */
    public void insertFinished(RunRecord run, RunStatus status, Instant startedAt, Instant finishedAt,
            Map<String, Object> outputs, Map<String, Object> error, UsageView usage, List<NodeTrace> trace) {
        if (!status.isFinal() && status != RunStatus.WAITING_REVIEW) {
            throw new IllegalArgumentException("insertFinished needs an ended run, not " + status);
        }
        insert(run, status, startedAt, finishedAt, outputs, error, usage, trace);
        if (status == RunStatus.WAITING_REVIEW) {
            suspended(run, trace);
        }
    }

    /** Tells the {@link RunSuspensionListener}s; their failures are logged, not thrown. */
    private void suspended(RunRecord run, List<NodeTrace> trace) {
        suspensionListeners.orderedStream().forEach(l -> {
            try {
                l.onWaitingReview(run, trace);
            } catch (RuntimeException e) {
                log.warn("A suspension listener failed for run {}: {}", run.id(), e.toString());
            }
        });
    }

    private void insert(RunRecord run, RunStatus status, Instant startedAt, Instant finishedAt,
            Map<String, Object> outputs, Map<String, Object> error, UsageView usage, List<NodeTrace> trace) {
        Object[] args = {run.id(), run.workspaceId(), run.appId(), run.version(),
                run.version() == null ? run.draftRevision() : null, run.source().wireName(), run.mode().wireName(),
                status.wireName(), toJson(run.inputs()), run.trigger().isEmpty() ? null : toJson(run.trigger()),
                toJson(outputs), toJson(error), toJson(usage), trace == null ? null : traceJson(trace), run.runner(),
                run.apiKeyId(), odt(run.createdAt()), odt(startedAt), odt(finishedAt), null, null, null, 0};
        write(() -> jdbc.update(INSERT, args));
    }

    /** Writes (or rewrites) one node's checkpoint row of a durable run. */
    public void saveNode(UUID runId, NodeTrace node) {
        saveNodes(runId, List.of(node));
    }

    /**
     * Writes (or rewrites) checkpoint rows of a durable run in one statement and one commit — unless
     * another process has taken the run over (its lease), then nothing is written.
     */
    public void saveNodes(UUID runId, List<NodeTrace> nodes) {
        saveNodes(runId, nodes, true);
    }

    /**
     * @param throttled through the hot-path write limit; false inside a caller's transaction (a
     *     transaction holding a connection must not wait for a permit whose holders wait for connections)
     */
    void saveNodes(UUID runId, List<NodeTrace> nodes, boolean throttled) {
        if (nodes.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<>(nodes.size() * 13 + 2);
        StringBuilder rows = new StringBuilder();
        for (NodeTrace node : nodes) {
            rows.append(rows.isEmpty() ? "" : ", ").append(NODE_ROW);
            args.add(runId);
            args.add(node.nodeId());
            args.add(node.seq());
            args.add(node.type());
            args.add(node.status());
            args.add(node.attempts());
            args.add(toJson(node.inputs()));
            args.add(toJson(node.outputs()));
            args.add(toJson(node.usage()));
            args.add(toJson(node.error()));
            args.add(node.checkpoint() == null ? null
                    : StorableText.jsonb(json.writerFor(NodeResult.class).writeValueAsString(node.checkpoint())));
            args.add(odt(node.startedAt()));
            args.add(node.latencyMs());
        }
        args.add(runId);
        args.add(owner);
        String sql = SAVE_NODES.formatted(rows);
        if (throttled) {
            write(() -> jdbc.update(sql, args.toArray()));
        } else {
            jdbc.update(sql, args.toArray());
        }
    }

    /**
     * Moves an existing run to its end state with its whole trace, if the lifecycle allows.
     *
     * @return false when the run had already reached a state from which {@code status} may not
     *     follow (e.g. it was cancelled meanwhile), or does not exist: nothing was written
     */
    public boolean finish(RunRecord run, RunStatus status, Instant startedAt, Instant finishedAt,
            Map<String, Object> outputs, Map<String, Object> error, UsageView usage, List<NodeTrace> trace) {
        Object[] args = {status.wireName(), toJson(outputs), toJson(error), toJson(usage), traceJson(trace),
                run.runner(), odt(startedAt), odt(finishedAt), run.id(), RunLifecycle.predecessorNames(status), owner};
        boolean written = write(() -> jdbc.update(FINISH, args)) == 1;
        if (written && status == RunStatus.WAITING_REVIEW) {
            suspended(run, trace);
        }
        return written;
    }

    /** A stored run as needed to resume it: its record, status and trace. */
    public record StoredRun(RunRecord record, RunStatus status, List<NodeTrace> trace) {
    }

    /** Loads a run with its trace (any workspace: callers have checked access). */
    public Optional<StoredRun> load(UUID runId) {
        return jdbc.query("""
                SELECT id, workspace_id, app_id, app_version, draft_revision, source, mode, status, inputs::text AS inputs,
                       trigger_data::text AS trigger_data, trace::text AS trace, runner, api_key_id, created_at
                FROM runs WHERE id = ?""", (rs, n) -> {
            Integer version = (Integer) rs.getObject("app_version");
            Integer draft = (Integer) rs.getObject("draft_revision");
            Map<String, Object> trigger = map(rs.getString("trigger_data"));
            RunRecord record = new RunRecord(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                    rs.getObject("app_id", UUID.class), version, draft == null ? 0 : draft,
                    RunSource.fromWireName(rs.getString("source")), RunMode.fromWireName(rs.getString("mode")),
                    map(rs.getString("inputs")), trigger, rs.getString("runner"), rs.getObject("api_key_id", UUID.class),
                    instant(rs, "created_at"));
            return new StoredRun(record, RunStatus.fromWireName(rs.getString("status")), trace(record.id(), rs.getString("trace")));
        }, runId).stream().findFirst();
    }

    /**
     * waiting_review → running, claimed by {@code runner}: the one guarded step that lets exactly one
     * decision resume a waiting run. Joins the caller's transaction.
     *
     * @return false when the run is not waiting for review (already resumed, ended, unknown)
     */
    public boolean claimWaiting(UUID runId, String runner) {
        // leased to this process at once, so a crash during the resumed run is recovered like any other
        return jdbc.update("""
                UPDATE runs SET status = 'running', runner = ?, lease_owner = ?,
                                lease_expires_at = now() + ?::bigint * interval '1 millisecond', claims = claims + 1
                WHERE id = ? AND status = 'waiting_review'""", runner, owner, leaseMillis, runId) == 1;
    }

    /**
     * Ends a run that waits for review ({@code rejected}, {@code timed_out}, {@code cancelled}) with
     * {@code error}. Joins the caller's transaction.
     *
     * @return false when the run is not waiting for review
     */
    public boolean endWaiting(UUID runId, RunStatus status, Map<String, Object> error, Instant finishedAt) {
        if (!RunStatus.WAITING_REVIEW.canMoveTo(status) || !status.isFinal()) {
            throw new IllegalArgumentException("a waiting run cannot end as " + status);
        }
        return jdbc.update("UPDATE runs SET status = ?, error = ?::jsonb, finished_at = ? WHERE id = ? AND status = 'waiting_review'",
                status.wireName(), toJson(error), odt(finishedAt), runId) == 1;
    }

    /** A run of the workspace with its trace (from its checkpoints while it is unfinished). */
    public Optional<RunView> find(UUID workspaceId, UUID runId) {
        List<RunView> runs = jdbc.query("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ? AND workspace_id = ?",
                (rs, n) -> runView(rs), runId, workspaceId);
        return runs.stream().findFirst();
    }

    /**
     * The engine results of every node that finished in an earlier attempt of the run — what
     * {@code RunRequest.checkpoints} takes to resume it (durable runs, reviews).
     */
    public Map<String, NodeResult> checkpoints(UUID runId) {
        Map<String, NodeResult> checkpoints = new LinkedHashMap<>();
        String traceJson = jdbc.query("SELECT trace::text FROM runs WHERE id = ?", (rs, n) -> rs.getString(1), runId)
                .stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        for (NodeTrace node : trace(runId, traceJson)) {
            if (node.checkpoint() != null) {
                checkpoints.put(node.nodeId(), node.checkpoint());
            }
        }
        return checkpoints;
    }

    /** What an earlier attempt of a run left: the trace to continue, and the checkpoints to skip. */
    record ResumeState(List<NodeTrace> trace, Map<String, NodeResult> checkpoints) {
        static final ResumeState NONE = new ResumeState(List.of(), Map.of());
    }

    /**
     * The trace and checkpoints of a run to resume: the trace stored when it last stopped (e.g. at
     * {@code waiting_review}), overlaid with the checkpoint rows written since (a newer attempt).
     */
    ResumeState resumeState(UUID runId) {
        String traceJson = jdbc.query("SELECT trace::text FROM runs WHERE id = ?", (rs, n) -> rs.getString(1), runId)
                .stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
        Map<String, NodeTrace> merged = new LinkedHashMap<>();
        if (traceJson != null) {
            json.readValue(traceJson, TRACE).forEach(t -> merged.put(t.nodeId(), t));
        }
        jdbc.query("SELECT " + NODE_COLUMNS + " FROM run_nodes WHERE run_id = ? ORDER BY seq, node_id",
                (rs, n) -> nodeTrace(rs), runId).forEach(t -> merged.put(t.nodeId(), t));
        Map<String, NodeResult> checkpoints = new LinkedHashMap<>();
        merged.values().forEach(t -> {
            if (t.checkpoint() != null) {
                checkpoints.put(t.nodeId(), t.checkpoint());
            }
        });
        return new ResumeState(List.copyOf(merged.values()), checkpoints);
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    private RunView runView(ResultSet rs) throws SQLException {
        Instant started = instant(rs, "started_at");
        Instant finished = instant(rs, "finished_at");
        UUID id = rs.getObject("id", UUID.class);
        List<NodeTraceView> trace = trace(id, rs.getString("trace")).stream().map(NodeTrace::view).toList();
        return new RunView(id, rs.getObject("app_id", UUID.class),
                (Integer) rs.getObject("app_version"), (Integer) rs.getObject("draft_revision"), rs.getString("status"),
                rs.getString("source"), rs.getString("mode"), map(rs.getString("inputs")), map(rs.getString("trigger_data")),
                map(rs.getString("outputs")),
                map(rs.getString("error")), usage(rs.getString("usage")), instant(rs, "created_at"), started, finished,
                latencyMs(started, finished), trace);
    }

    /** The stored trace ({@code runs.trace}), or while the run is unfinished its checkpoint rows. */
    private List<NodeTrace> trace(UUID runId, String traceJson) {
        if (traceJson != null) {
            return json.readValue(traceJson, TRACE);
        }
        return jdbc.query("SELECT " + NODE_COLUMNS + " FROM run_nodes WHERE run_id = ? ORDER BY seq, node_id",
                (rs, n) -> nodeTrace(rs), runId);
    }

    private NodeTrace nodeTrace(ResultSet rs) throws SQLException {
        double latency = rs.getDouble("latency_ms");
        Double latencyMs = rs.wasNull() ? null : latency;
        String checkpoint = rs.getString("checkpoint");
        return new NodeTrace(rs.getString("node_id"), rs.getInt("seq"), rs.getString("type"), rs.getString("status"),
                rs.getInt("attempts"), map(rs.getString("inputs")), map(rs.getString("outputs")),
                usage(rs.getString("usage")), map(rs.getString("error")), instant(rs, "started_at"), latencyMs,
                checkpoint == null ? null : json.readValue(checkpoint, NodeResult.class));
    }

    static RunView withTrace(RunView r, List<NodeTraceView> trace) {
        return new RunView(r.id(), r.appId(), r.version(), r.draftRevision(), r.status(), r.source(), r.mode(), r.inputs(),
                r.trigger(), r.outputs(), r.error(), r.usage(), r.createdAt(), r.startedAt(), r.finishedAt(), r.latencyMs(), trace);
    }

    static Double latencyMs(Instant started, Instant finished) {
        if (started == null || finished == null) {
            return null;
        }
        return Duration.between(started, finished).toNanos() / 1e6;
    }

    private String traceJson(List<NodeTrace> trace) {
        return StorableText.jsonb(json.writerFor(TRACE).writeValueAsString(trace));
    }

    String toJson(Object value) {
        return value == null ? null : StorableText.jsonb(json.writeValueAsString(value));
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
