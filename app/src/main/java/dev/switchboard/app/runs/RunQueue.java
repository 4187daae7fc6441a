package dev.switchboard.app.runs;

import dev.switchboard.engine.RunStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The durable run queue: the {@code runs} table itself (status {@code queued}), so a run's status
 * has one source of truth. All statements are plain JDBC, each guarded so that any number of
 * replicas may run them concurrently.
 *
 * <ul>
 *   <li>{@link #claim}: up to n queued runs, oldest first, with {@code FOR UPDATE SKIP LOCKED} (claimers
 *       never wait for each other), become {@code running} under this process's lease — one statement
 *       per batch.</li>
 *   <li>{@link #heartbeat}: one statement extends the leases of every run this process executes.</li>
 *   <li>{@link #recoverExpired} / {@link #recoverOwn}: runs whose lease expired (their process died or
 *       hung) go back to {@code queued} and resume from their checkpoints — or end {@code failed}
 *       after {@link QueueProperties#maxRecoveries()} recoveries (poison runs), or {@code cancelled}
 *       when a cancel was requested.</li>
 *   <li>{@link #timeOutExpired}: runs past their deadline end {@code timed_out}, even when no
 *       process is left to notice.</li>
 * </ul>
 *
 * <p>Lease times are database time ({@code now()}), so replicas' clocks need not agree. Thread-safe.
 */
@Component
class RunQueue {

    /** A claimed run, with what is needed to execute it. */
    record ClaimedRun(RunRecord record, Instant deadline, int claims, boolean resumed, boolean cancelRequested) {
    }

    private static final String CLAIM = """
            WITH next AS (
                SELECT id FROM runs WHERE status = 'queued' ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
            UPDATE runs r SET status = 'running', runner = ?, lease_owner = ?,
                              lease_expires_at = now() + ?::bigint * interval '1 millisecond',
                              claims = r.claims + 1, started_at = COALESCE(r.started_at, now())
            FROM next WHERE r.id = next.id
            RETURNING r.id, r.workspace_id, r.app_id, r.app_version, r.draft_revision, r.source, r.mode,
                      r.inputs::text AS inputs, r.trigger_data::text AS trigger_data, r.api_key_id, r.created_at,
                      r.deadline_at, r.claims, (r.claims > 1 OR r.trace IS NOT NULL) AS resumed, r.cancel_requested""";

    /**
     * Sends runs whose process is gone back to the queue; {@code %s} selects them. Cancel requests win;
     * the {@code maxRecoveries}-th recovery fails the run instead (poison-run limit).
     */
    private static final String RECOVER = """
            UPDATE runs SET
                status = CASE WHEN cancel_requested THEN 'cancelled' WHEN recoveries + 1 >= ? THEN 'failed' ELSE 'queued' END,
                error = CASE WHEN cancel_requested THEN NULL WHEN recoveries + 1 >= ? THEN ?::jsonb ELSE error END,
                finished_at = CASE WHEN cancel_requested OR recoveries + 1 >= ? THEN now() ELSE finished_at END,
                recoveries = recoveries + 1, lease_owner = NULL, lease_expires_at = NULL
            WHERE id IN (%s)
            RETURNING id, status""";

    private static final String TIME_OUT = """
            UPDATE runs SET status = 'timed_out', error = ?::jsonb, finished_at = now(), lease_owner = NULL,
                            lease_expires_at = NULL
            WHERE id IN (SELECT id FROM runs
                         WHERE deadline_at < now()
                           AND (status = 'queued'
                                OR status = 'running' AND (lease_expires_at < now()
                                                           OR deadline_at < now() - ?::bigint * interval '1 millisecond'))
                         LIMIT 1000 FOR UPDATE SKIP LOCKED)""";

    private final JdbcTemplate jdbc;
    private final RunStore store;
    private final QueueProperties properties;
    private final String runner;
    private final String owner;

    RunQueue(JdbcTemplate jdbc, RunStore store, QueueProperties properties, InstanceId instance) {
        this.jdbc = jdbc;
        this.store = store;
        this.properties = properties;
        this.runner = instance.value();
        this.owner = instance.leaseOwner();
    }

    String owner() {
        return owner;
    }

    /** Claims up to {@code max} queued runs, oldest first, for this process. */
    List<ClaimedRun> claim(int max) {
        return jdbc.query(CLAIM, (rs, n) -> claimed(rs), max, runner, owner, properties.lease().toMillis());
    }

    private ClaimedRun claimed(ResultSet rs) throws SQLException {
        Integer draft = (Integer) rs.getObject("draft_revision");
        RunRecord record = new RunRecord(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getObject("app_id", UUID.class), (Integer) rs.getObject("app_version"), draft == null ? 0 : draft,
                RunSource.fromWireName(rs.getString("source")), RunMode.fromWireName(rs.getString("mode")),
                store.map(rs.getString("inputs")), store.map(rs.getString("trigger_data")), runner,
                rs.getObject("api_key_id", UUID.class), RunStore.instant(rs, "created_at"));
        return new ClaimedRun(record, RunStore.instant(rs, "deadline_at"), rs.getInt("claims"), rs.getBoolean("resumed"),
                rs.getBoolean("cancel_requested"));
    }

    /**
     * Extends this process's leases on {@code runIds} (runs it executes; runs written without a lease,
     * e.g. resumed after a review, are adopted).
     *
     * @return the runs whose lease was extended, with their cancel-requested flag
     */
    Map<UUID, Boolean> heartbeat(Collection<UUID> runIds) {
        Map<UUID, Boolean> leased = new LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return leased;
        }
        jdbc.query("""
                UPDATE runs SET lease_owner = ?, lease_expires_at = now() + ?::bigint * interval '1 millisecond'
                WHERE id = ANY (?) AND status = 'running' AND (lease_owner = ? OR lease_owner IS NULL)
                RETURNING id, cancel_requested""", rs -> {
            leased.put(rs.getObject(1, UUID.class), rs.getBoolean(2));
        }, owner, properties.lease().toMillis(), runIds.toArray(UUID[]::new), owner);
        return leased;
    }

    /** Of {@code runIds}, those another process has taken over (running under another lease) or that ended elsewhere. */
    List<UUID> lost(Collection<UUID> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query("""
                SELECT id FROM runs WHERE id = ANY (?)
                  AND (status <> 'running' OR lease_owner IS DISTINCT FROM ?)""",
                (rs, n) -> rs.getObject(1, UUID.class), runIds.toArray(UUID[]::new), owner);
    }

    /** Runs this process executes whose cancellation was requested through another replica. */
    List<UUID> cancelRequested() {
        return jdbc.query("SELECT id FROM runs WHERE cancel_requested AND status = 'running' AND lease_owner = ?",
                (rs, n) -> rs.getObject(1, UUID.class), owner);
    }

    /** Hands runs this process holds back to the queue (shutdown); their checkpoints stay. */
    int release(Collection<UUID> runIds) {
        if (runIds.isEmpty()) {
            return 0;
        }
        return jdbc.update("""
                UPDATE runs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ANY (?) AND status = 'running' AND lease_owner = ?""", runIds.toArray(UUID[]::new), owner);
    }

    /**
     * At start: runs still {@code running} under an earlier incarnation of this instance id (it
     * crashed) are recovered at once; {@code everyRunner}: all running runs (the embedded database
     * serves this process only).
     */
    Map<UUID, RunStatus> recoverOwn(boolean everyRunner) {
        String select = "SELECT id FROM runs WHERE status = 'running' AND lease_owner IS DISTINCT FROM ?"
                + (everyRunner ? "" : " AND runner = ?") + " FOR UPDATE SKIP LOCKED";
        return everyRunner ? recover(select, owner) : recover(select, owner, runner);
    }

    /** Runs whose lease expired (their process died or stopped heartbeating) are recovered. */
    Map<UUID, RunStatus> recoverExpired() {
        return recover("SELECT id FROM runs WHERE status = 'running' AND lease_expires_at < now() LIMIT 1000 "
                + "FOR UPDATE SKIP LOCKED");
    }

    private Map<UUID, RunStatus> recover(String select, Object... selectArgs) {
        int max = properties.maxRecoveries();
        Object[] args = new Object[4 + selectArgs.length];
        args[0] = max;
        args[1] = max;
        args[2] = store.toJson(poisoned(max));
        args[3] = max;
        System.arraycopy(selectArgs, 0, args, 4, selectArgs.length);
        Map<UUID, RunStatus> recovered = new LinkedHashMap<>();
        jdbc.query(RECOVER.formatted(select), rs -> {
            recovered.put(rs.getObject(1, UUID.class), RunStatus.fromWireName(rs.getString(2)));
        }, args);
        return recovered;
    }

    /**
     * Ends runs past their deadline as {@code timed_out}: queued ones, running ones whose lease
     * expired, and running ones a live process has not ended within {@code grace} after the deadline.
     */
    int timeOutExpired(java.time.Duration grace) {
        return jdbc.update(TIME_OUT, store.toJson(timedOut()), grace.toMillis());
    }

    /** Queued runs now (all replicas). */
    int depth() {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM runs WHERE status = 'queued'", Integer.class);
        return n == null ? 0 : n;
    }

    /**
     * queued | waiting_review → cancelled at once; running → cancel requested (the executing process
     * reads the flag). Joins the caller's transaction.
     *
     * @return the run's status after the request, empty when the run is not in the workspace or already final
     */
    Optional<RunStatus> requestCancel(UUID workspaceId, UUID runId, Instant now) {
        return jdbc.query("""
                UPDATE runs SET
                    status = CASE WHEN status = 'running' THEN status ELSE 'cancelled' END,
                    finished_at = CASE WHEN status = 'running' THEN finished_at ELSE ? END,
                    cancel_requested = cancel_requested OR status = 'running',
                    lease_owner = CASE WHEN status = 'running' THEN lease_owner END
                WHERE id = ? AND workspace_id = ? AND status IN ('queued', 'running', 'waiting_review')
                RETURNING status""", (rs, n) -> RunStatus.fromWireName(rs.getString(1)),
                RunStore.odt(now), runId, workspaceId).stream().findFirst();
    }

    /** Ends a claimed run that cannot execute (its app version is gone, or it was cancelled while queued). */
    boolean endClaimed(UUID runId, RunStatus status, Map<String, Object> error) {
        return jdbc.update("""
                UPDATE runs SET status = ?, error = ?::jsonb, finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND status = 'running' AND lease_owner = ?""",
                status.wireName(), store.toJson(error), runId, owner) == 1;
    }

    static Map<String, Object> poisoned(int recoveries) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "interrupted");
        error.put("message", "The process executing this run stopped " + recoveries
                + " times; it is not retried again (switchboard.runs.queue.max-recoveries)");
        return error;
    }

    static Map<String, Object> timedOut() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "timed_out");
        error.put("message", "The run did not finish before its deadline");
        return error;
    }
}
