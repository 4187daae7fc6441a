package dev.switchboard.app.review;

import dev.switchboard.app.review.ReviewViews.AuditView;
import dev.switchboard.engine.policy.ReviewRequest;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Review tasks and their audit trail in PostgreSQL (plain JDBC; joins the caller's transaction).
 * Thread-safe.
 */
@Component
class ReviewStore {

    private static final TypeReference<List<Map<String, Object>>> FLAGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String COLUMNS = """
            id, workspace_id, app_id, run_id, node_id, source, status, reason, content, proposed, flags::text AS flags,
            instructions, on_timeout, extra_outputs::text AS extra_outputs, created_at, due_at, decided_at, decided_by,
            decided_text, decided_reason""";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    ReviewStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Inserts an open task unless the run's node already has an open one; true when inserted. */
    boolean insertIfAbsent(ReviewTask t) {
        return jdbc.update("""
                INSERT INTO review_tasks (id, workspace_id, app_id, run_id, node_id, source, status, reason, content, proposed,
                                          flags, instructions, on_timeout, extra_outputs, created_at, due_at)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?)
                ON CONFLICT (run_id, node_id) WHERE status = 'open' DO NOTHING""",
                t.id(), t.workspaceId(), t.appId(), t.runId(), t.nodeId(), t.source(), t.reason(), t.content(), t.proposed(),
                json.writeValueAsString(t.flags()), t.instructions(), t.onTimeout().wireName(),
                json.writeValueAsString(t.extraOutputs()), odt(t.createdAt()), odt(t.dueAt())) == 1;
    }

    Optional<ReviewTask> find(UUID workspaceId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM review_tasks WHERE id = ? AND workspace_id = ?",
                (rs, n) -> task(rs), id, workspaceId).stream().findFirst();
    }

    /** The task locked for a decision (other deciders wait, then see it decided). */
    Optional<ReviewTask> lock(UUID workspaceId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM review_tasks WHERE id = ? AND workspace_id = ? FOR UPDATE",
                (rs, n) -> task(rs), id, workspaceId).stream().findFirst();
    }

    /** Open tasks past their due time, locked; tasks another instance is deciding are skipped. */
    List<ReviewTask> lockDue(Instant now, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM review_tasks WHERE status = 'open' AND due_at <= ? "
                + "ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED", (rs, n) -> task(rs), odt(now), limit);
    }

    /** open → {@code to}; false when the task was no longer open. */
    boolean decide(UUID id, ReviewStatus to, Instant at, UUID by, String text, String reason) {
        if (!ReviewStatus.OPEN.canMoveTo(to)) {
            throw new IllegalArgumentException("a task cannot be decided as " + to);
        }
        return jdbc.update("""
                UPDATE review_tasks SET status = ?, decided_at = ?, decided_by = ?, decided_text = ?, decided_reason = ?
                WHERE id = ? AND status = 'open'""", to.wireName(), odt(at), by, text, reason, id) == 1;
    }

    void audit(UUID id, ReviewTask task, String actor, UUID keyId, ReviewStatus to, String after, String reason, Instant at) {
        jdbc.update("""
                INSERT INTO review_decisions (id, task_id, workspace_id, actor, actor_key_id, from_status, to_status,
                                              before_text, after_text, reason, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, task.id(), task.workspaceId(), actor, keyId,
                task.status().wireName(), to.wireName(), task.proposed(), after, reason, odt(at));
    }

    List<AuditView> history(UUID taskId) {
        return jdbc.query("""
                SELECT decided_at, actor, actor_key_id, from_status, to_status, before_text, after_text, reason
                FROM review_decisions WHERE task_id = ? ORDER BY decided_at, id""", (rs, n) -> new AuditView(
                instant(rs, "decided_at"), rs.getString("actor"), rs.getObject("actor_key_id", UUID.class),
                rs.getString("from_status"), rs.getString("to_status"), rs.getString("before_text"),
                rs.getString("after_text"), rs.getString("reason")), taskId);
    }

    /** Newest first, keyset-paginated on (created_at, id). */
    List<ReviewTask> list(UUID workspaceId, ReviewStatus status, UUID appId, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM review_tasks WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.wireName());
        }
        if (appId != null) {
            sql.append(" AND app_id = ?");
            args.add(appId);
        }
        if (cursor != null) {
            Cursor c = Cursor.decode(cursor);
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(odt(c.createdAt()));
            args.add(c.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> task(rs), args.toArray());
    }

    /** Runs waiting for review that have no open task (a listener failed or the process died in between). */
    List<UUID> waitingRunsWithoutOpenTask(int limit) {
        return jdbc.query("""
                SELECT r.id FROM runs r WHERE r.status = 'waiting_review'
                AND NOT EXISTS (SELECT 1 FROM review_tasks t WHERE t.run_id = r.id AND t.status = 'open')
                ORDER BY r.created_at LIMIT ?""", (rs, n) -> rs.getObject(1, UUID.class), limit);
    }

    private ReviewTask task(ResultSet rs) throws SQLException {
        return new ReviewTask(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getObject("app_id", UUID.class), rs.getObject("run_id", UUID.class), rs.getString("node_id"),
                rs.getString("source"), ReviewStatus.fromWireName(rs.getString("status")), rs.getString("reason"),
                rs.getString("content"), rs.getString("proposed"), json.readValue(rs.getString("flags"), FLAGS),
                rs.getString("instructions"), ReviewRequest.TimeoutDecision.fromWireName(rs.getString("on_timeout")),
                json.readValue(rs.getString("extra_outputs"), MAP), instant(rs, "created_at"), instant(rs, "due_at"),
                instant(rs, "decided_at"), rs.getObject("decided_by", UUID.class), rs.getString("decided_text"),
                rs.getString("decided_reason"));
    }

    static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Opaque to clients: base64url of {@code <epoch micros>:<uuid>}. */
    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
            return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                long micros = Long.parseLong(text.substring(0, colon));
                return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L),
                        UUID.fromString(text.substring(colon + 1)));
            } catch (RuntimeException e) {
                throw dev.switchboard.app.web.ApiException.badRequest("cursor is not a cursor this API returned");
            }
        }
    }
}
