package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.RunPage;
import dev.switchboard.app.runs.RunViews.RunSummary;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.engine.RunStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The run list: newest first, keyset pagination on {@code (created_at, id)} (stable under
 * concurrent inserts, no OFFSET scans), filters by app, status, source and start time.
 */
@Component
class RunQueries {

    record Filter(UUID appId, String status, String source, Instant since) {
    }

    private final RunStore store;

    RunQueries(RunStore store) {
        this.store = store;
    }

    RunPage list(UUID workspaceId, Filter filter, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("""
                SELECT id, app_id, app_version, status, source, mode, error::text AS error, created_at, started_at,
                       finished_at FROM runs WHERE workspace_id = ?""");
        List<Object> args = new ArrayList<>();
        args.add(workspaceId);
        if (filter.appId() != null) {
            sql.append(" AND app_id = ?");
            args.add(filter.appId());
        }
        if (filter.status() != null && !filter.status().isBlank()) {
            sql.append(" AND status = ?");
            args.add(status(filter.status()));
        }
        if (filter.source() != null && !filter.source().isBlank()) {
            sql.append(" AND source = ?");
            args.add(source(filter.source()));
        }
        if (filter.since() != null) {
            sql.append(" AND created_at >= ?");
            args.add(RunStore.odt(filter.since()));
        }
        if (cursor != null && !cursor.isBlank()) {
            Cursor c = Cursor.decode(cursor);
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(RunStore.odt(c.createdAt()));
            args.add(c.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit + 1);
        List<RunSummary> rows = store.jdbc().query(sql.toString(), (rs, n) -> {
            Instant started = RunStore.instant(rs, "started_at");
            Instant finished = RunStore.instant(rs, "finished_at");
            return new RunSummary(rs.getObject("id", UUID.class), rs.getObject("app_id", UUID.class),
                    (Integer) rs.getObject("app_version"), rs.getString("status"), rs.getString("source"),
                    rs.getString("mode"), store.map(rs.getString("error")), RunStore.instant(rs, "created_at"), started,
                    finished, RunStore.latencyMs(started, finished));
        }, args.toArray());
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            RunSummary last = rows.getLast();
            next = new Cursor(last.createdAt(), last.id()).encode();
        }
        return new RunPage(List.copyOf(rows), next);
    }

    private static String status(String value) {
        try {
            return RunStatus.fromWireName(value.strip()).wireName();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("status must be one of queued, running, waiting_review, succeeded, failed, "
                    + "blocked, rejected, timed_out, cancelled");
        }
    }

    private static String source(String value) {
        try {
            return RunSource.fromWireName(value.strip()).wireName();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /** Opaque to clients: base64url of {@code <epoch micros>:<uuid>}. */
    record Cursor(Instant createdAt, UUID id) {
        String encode() {
            long micros = createdAt.getEpochSecond() * 1_000_000L + createdAt.getNano() / 1_000;
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + ":" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
                int colon = text.indexOf(':');
                long micros = Long.parseLong(text.substring(0, colon));
                UUID id = UUID.fromString(text.substring(colon + 1));
                return new Cursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L), id);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("cursor is not a cursor this API returned");
            }
        }
    }
}
