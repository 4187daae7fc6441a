package dev.switchboard.app.testing;

import static dev.switchboard.app.testing.Jdbc.instant;
import static dev.switchboard.app.testing.Jdbc.odt;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test cases and per-app test settings in PostgreSQL (plain JDBC; joins the caller's transaction). Thread-safe. */
@Component
class TestCaseStore {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, workspace_id, app_id, name, description, inputs::text AS inputs, "
            + "assertions::text AS assertions, created_at, updated_at";

    /** A stored test case; {@code assertions} as the API accepted them. */
    record TestCase(UUID id, UUID workspaceId, UUID appId, String name, String description, Map<String, Object> inputs,
            JsonNode assertions, Instant createdAt, Instant updatedAt) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    TestCaseStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Whether the app exists in the workspace. */
    boolean appExists(UUID workspaceId, UUID appId) {
        return !jdbc.queryForList("SELECT 1 FROM apps WHERE id = ? AND workspace_id = ?", Integer.class, appId, workspaceId)
                .isEmpty();
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the app has a case of that name */
    void insert(TestCase t) {
        jdbc.update("""
                INSERT INTO app_tests (id, workspace_id, app_id, name, description, inputs, assertions, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)""", t.id(), t.workspaceId(), t.appId(), t.name(),
                t.description(), json.writeValueAsString(t.inputs()), json.writeValueAsString(t.assertions()),
                odt(t.createdAt()), odt(t.updatedAt()));
    }

    /** @return false when no such case; throws DuplicateKeyException on a name clash */
    boolean update(TestCase t) {
        return jdbc.update("""
                UPDATE app_tests SET name = ?, description = ?, inputs = ?::jsonb, assertions = ?::jsonb, updated_at = ?
                WHERE id = ? AND app_id = ? AND workspace_id = ?""", t.name(), t.description(),
                json.writeValueAsString(t.inputs()), json.writeValueAsString(t.assertions()), odt(t.updatedAt()),
                t.id(), t.appId(), t.workspaceId()) == 1;
    }

    boolean delete(UUID workspaceId, UUID appId, UUID id) {
        return jdbc.update("DELETE FROM app_tests WHERE id = ? AND app_id = ? AND workspace_id = ?", id, appId,
                workspaceId) == 1;
    }

    Optional<TestCase> find(UUID workspaceId, UUID appId, UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM app_tests WHERE id = ? AND app_id = ? AND workspace_id = ?",
                (rs, n) -> row(rs), id, appId, workspaceId).stream().findFirst();
    }

    /** The app's cases, oldest first (the order a test run reports them in). */
    List<TestCase> list(UUID workspaceId, UUID appId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM app_tests WHERE app_id = ? AND workspace_id = ? "
                + "ORDER BY created_at, id", (rs, n) -> row(rs), appId, workspaceId);
    }

    int count(UUID workspaceId, UUID appId) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM app_tests WHERE app_id = ? AND workspace_id = ?",
                Integer.class, appId, workspaceId);
        return n == null ? 0 : n;
    }

    boolean requireTestsToPublish(UUID appId) {
        List<Boolean> values = jdbc.queryForList("SELECT require_tests_to_publish FROM app_test_settings WHERE app_id = ?",
                Boolean.class, appId);
        return !values.isEmpty() && Boolean.TRUE.equals(values.getFirst());
    }

    void saveSettings(UUID appId, boolean requireTestsToPublish, Instant now) {
        jdbc.update("""
                INSERT INTO app_test_settings (app_id, require_tests_to_publish, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (app_id) DO UPDATE SET require_tests_to_publish = EXCLUDED.require_tests_to_publish,
                                                   updated_at = EXCLUDED.updated_at""", appId, requireTestsToPublish,
                odt(now));
    }

    private TestCase row(ResultSet rs) throws SQLException {
        return new TestCase(rs.getObject("id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getObject("app_id", UUID.class), rs.getString("name"), rs.getString("description"),
                json.readValue(rs.getString("inputs"), MAP), json.readTree(rs.getString("assertions")),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
