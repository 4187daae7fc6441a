package dev.switchboard.app.experiments;

import dev.switchboard.app.experiments.ExperimentViews.ExperimentSummary;
import dev.switchboard.app.experiments.ExperimentViews.ExperimentView;
import dev.switchboard.app.experiments.ExperimentViews.PromptView;
import dev.switchboard.app.experiments.ExperimentViews.VariantResult;
import dev.switchboard.app.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Experiments in PostgreSQL (plain JDBC). Thread-safe. */
@Component
class ExperimentStore {

    private static final TypeReference<List<VariantResult>> VARIANTS = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    ExperimentStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(UUID workspaceId, UUID apiKeyId, ExperimentView e) {
        var source = e.prompt().source();
        jdbc.update("""
                INSERT INTO experiments (id, workspace_id, app_id, node_id, name, prompt, variants, api_key_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)""", e.id(), workspaceId,
                source == null ? null : source.appId(), source == null ? null : source.nodeId(), e.name(),
                json.writeValueAsString(e.prompt()), json.writeValueAsString(e.variants()), apiKeyId,
                e.createdAt().atOffset(ZoneOffset.UTC));
    }

    Optional<ExperimentView> find(UUID workspaceId, UUID id) {
        return jdbc.query("SELECT id, name, prompt::text AS prompt, variants::text AS variants, created_at FROM experiments "
                + "WHERE id = ? AND workspace_id = ?", (rs, n) -> new ExperimentView(rs.getObject("id", UUID.class),
                rs.getString("name"), json.readValue(rs.getString("prompt"), PromptView.class),
                json.readValue(rs.getString("variants"), VARIANTS), instant(rs)), id, workspaceId).stream().findFirst();
    }

    /** Newest first, optionally of one app, keyset-paginated on (created_at, id). */
    List<ExperimentSummary> list(UUID workspaceId, UUID appId, String cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, name, app_id, node_id, variants::text AS variants, created_at "
                + "FROM experiments WHERE workspace_id = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId));
        if (appId != null) {
            sql.append(" AND app_id = ?");
            args.add(appId);
        }
        if (cursor != null) {
            String[] c = decode(cursor);
            sql.append(" AND (created_at, id) < (?, ?)");
            args.add(OffsetDateTime.parse(c[0]));
            args.add(UUID.fromString(c[1]));
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, n) -> summary(rs), args.toArray());
    }

    static String cursor(ExperimentSummary last) {
        String raw = last.createdAt().atOffset(ZoneOffset.UTC) + "|" + last.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|");
            OffsetDateTime.parse(parts[0]);
            UUID.fromString(parts[1]);
            return parts;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor is not a cursor this API returned");
        }
    }

    private ExperimentSummary summary(ResultSet rs) throws SQLException {
        List<VariantResult> variants = json.readValue(rs.getString("variants"), VARIANTS);
        Set<String> models = new LinkedHashSet<>();
        variants.forEach(v -> models.add(String.join(" > ", v.model())));
        int ok = (int) variants.stream().filter(v -> v.status().equals("succeeded")).count();
        return new ExperimentSummary(rs.getObject("id", UUID.class), rs.getString("name"), rs.getObject("app_id", UUID.class),
                rs.getString("node_id"), List.copyOf(models), variants.size(), ok, instant(rs));
    }

    private static Instant instant(ResultSet rs) throws SQLException {
        return rs.getObject("created_at", OffsetDateTime.class).toInstant();
    }
}
