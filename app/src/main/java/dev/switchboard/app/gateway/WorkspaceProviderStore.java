package dev.switchboard.app.gateway;

import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.secrets.SecretException;
import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A workspace's own OpenAI-compatible endpoints ({@code workspace_providers}); keys sealed with
 * {@link SecretBox}. Thread-safe.
 */
@Component
final class WorkspaceProviderStore {

    /** At most this many own endpoints per workspace. */
    static final int MAX_PER_WORKSPACE = 20;

    /** What the API shows. */
    record WorkspaceProvider(String name, String type, URI baseUrl, String apiKeyHint, List<String> models,
                             Instant createdAt, Instant updatedAt) {
    }

    /**
     * What the gateway is built from. {@link #toString()} hides the key.
     *
     * @param problem why the endpoint cannot be used (its key cannot be opened), else null
     */
    record Endpoint(String name, URI baseUrl, String apiKey, List<String> models, String problem) {
        @Override
        public String toString() {
            return "Endpoint[name=" + name + ", baseUrl=" + baseUrl + ", apiKey=" + SecretBox.mask(apiKey) + ", models="
                    + models + ", problem=" + problem + "]";
        }
    }

    private final JdbcTemplate jdbc;
    private final SecretBox box;
    private final Clock clock;

    WorkspaceProviderStore(JdbcTemplate jdbc, SecretBox box, Clock clock) {
        this.jdbc = jdbc;
        this.box = box;
        this.clock = clock;
    }

    static String context(UUID workspace, String name) {
        return "workspace-provider-key:" + workspace + ":" + name;
    }

    List<WorkspaceProvider> list(UUID workspace) {
        return jdbc.query("""
                SELECT name, base_url, key_hint, models, created_at, updated_at FROM workspace_providers
                WHERE workspace_id = ? ORDER BY name""", (rs, i) -> view(rs), workspace);
    }

    Optional<WorkspaceProvider> find(UUID workspace, String name) {
        return jdbc.query("""
                SELECT name, base_url, key_hint, models, created_at, updated_at FROM workspace_providers
                WHERE workspace_id = ? AND name = ?""", (rs, i) -> view(rs), workspace, name).stream().findFirst();
    }

    int count(UUID workspace) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM workspace_providers WHERE workspace_id = ?", Integer.class,
                workspace);
        return n == null ? 0 : n;
    }

    /** Creates or replaces an endpoint (a PUT: a missing key or model list means none). */
    WorkspaceProvider put(UUID workspace, String name, URI baseUrl, String apiKey, List<String> models) {
        Instant now = clock.instant();
        String sealed = apiKey == null ? null : box.seal(apiKey, context(workspace, name));
        jdbc.update(con -> {
            var ps = con.prepareStatement("""
                    INSERT INTO workspace_providers (workspace_id, name, base_url, api_key, key_hint, models, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (workspace_id, name) DO UPDATE SET base_url = EXCLUDED.base_url, api_key = EXCLUDED.api_key,
                        key_hint = EXCLUDED.key_hint, models = EXCLUDED.models, updated_at = EXCLUDED.updated_at""");
            ps.setObject(1, workspace);
            ps.setString(2, name);
            ps.setString(3, baseUrl.toString());
            ps.setString(4, sealed);
            ps.setString(5, apiKey == null ? null : SecretBox.mask(apiKey));
            ps.setArray(6, con.createArrayOf("text", models.toArray()));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(now));
            return ps;
        });
        return find(workspace, name).orElseThrow();
    }

    boolean delete(UUID workspace, String name) {
        return jdbc.update("DELETE FROM workspace_providers WHERE workspace_id = ? AND name = ?", workspace, name) > 0;
    }

    /** Every endpoint of the workspace with its key opened. */
    List<Endpoint> endpoints(UUID workspace) {
        return jdbc.query("SELECT name, base_url, api_key, models FROM workspace_providers WHERE workspace_id = ? ORDER BY name",
                (rs, i) -> {
                    String name = rs.getString(1);
                    String sealed = rs.getString(3);
                    String key = null;
                    String problem = null;
                    try {
                        key = sealed == null ? null : box.open(sealed, context(workspace, name));
                    } catch (SecretException e) {
                        problem = "its stored API key cannot be decrypted (" + e.getMessage() + "); save the endpoint again";
                    }
                    return new Endpoint(name, URI.create(rs.getString(2)), key, models(rs.getArray(4)), problem);
                }, workspace);
    }

    private static WorkspaceProvider view(ResultSet rs) throws SQLException {
        return new WorkspaceProvider(rs.getString(1), "openai-compatible", URI.create(rs.getString(2)), rs.getString(3),
                models(rs.getArray(4)), rs.getObject(5, OffsetDateTime.class).toInstant(),
                rs.getObject(6, OffsetDateTime.class).toInstant());
    }

    private static List<String> models(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }
}
