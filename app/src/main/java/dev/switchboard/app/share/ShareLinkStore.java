package dev.switchboard.app.share;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code share_links} table. Plain JDBC: the public page reads one row joined with the app's
 * latest published version per request, by the token's hash (unique index). Writes join the
 * caller's transaction (publish, settings changes).
 */
@Repository
class ShareLinkStore {

    /** A link as its owner manages it. */
    record LinkRow(UUID appId, UUID workspaceId, byte[] tokenHash, String tokenSealed, String passcodeHash,
            Instant expiresAt, boolean showGraph, Instant createdAt, Instant updatedAt, Instant tokenIssuedAt,
            Instant revokedAt) {
    }

    /**
     * A link found by its token, with what the public page shows: the latest published version
     * (null when the app has none) and that version's name and description.
     */
    record PublicLink(UUID appId, UUID workspaceId, String passcodeHash, Instant expiresAt, boolean showGraph,
            Integer version, String name, String description) {
    }

    private final JdbcClient jdbc;

    ShareLinkStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<LinkRow> find(UUID workspaceId, UUID appId) {
        return jdbc.sql("SELECT * FROM share_links WHERE app_id = ? AND workspace_id = ?").param(appId).param(workspaceId)
                .query(ShareLinkStore::row).optional();
    }

    /** The row of an app, locked for update in the current transaction. */
    Optional<LinkRow> lock(UUID workspaceId, UUID appId) {
        return jdbc.sql("SELECT * FROM share_links WHERE app_id = ? AND workspace_id = ? FOR UPDATE").param(appId)
                .param(workspaceId)
                .query(ShareLinkStore::row).optional();
    }

    Optional<PublicLink> findByToken(byte[] tokenHash) {
        return jdbc.sql("""
                        SELECT s.app_id, s.workspace_id, s.passcode_hash, s.expires_at, s.show_graph,
                               v.version, v.name, v.description
                        FROM share_links s
                        JOIN apps a ON a.id = s.app_id
                        LEFT JOIN app_versions v ON v.app_id = a.id AND v.version = a.latest_version
                        WHERE s.token_hash = ?""")
                .param(tokenHash)
                .query((rs, n) -> new PublicLink(rs.getObject("app_id", UUID.class),
                        rs.getObject("workspace_id", UUID.class), rs.getString("passcode_hash"),
                        instant(rs, "expires_at"), rs.getBoolean("show_graph"), (Integer) rs.getObject("version"),
                        rs.getString("name"), rs.getString("description")))
                .optional();
    }

    /** Creates the app's row with no token if it has none; returns whether it did. */
    boolean createIfAbsent(UUID appId, UUID workspaceId, Instant now) {
        return jdbc.sql("""
                        INSERT INTO share_links (app_id, workspace_id, created_at, updated_at)
                        VALUES (?, ?, ?, ?) ON CONFLICT (app_id) DO NOTHING""")
                .param(appId).param(workspaceId).param(odt(now)).param(odt(now))
                .update() == 1;
    }

    void issueToken(UUID workspaceId, UUID appId, byte[] tokenHash, String tokenSealed, Instant now) {
        jdbc.sql("""
                        UPDATE share_links SET token_hash = ?, token_sealed = ?, token_issued_at = ?, revoked_at = NULL,
                               updated_at = ?
                        WHERE app_id = ? AND workspace_id = ?""")
                .param(tokenHash).param(tokenSealed).param(odt(now)).param(odt(now)).param(appId).param(workspaceId)
                .update();
    }

    void revoke(UUID workspaceId, UUID appId, Instant now) {
        jdbc.sql("""
                        UPDATE share_links SET token_hash = NULL, token_sealed = NULL, revoked_at = ?, updated_at = ?
                        WHERE app_id = ? AND workspace_id = ? AND revoked_at IS NULL""")
                .param(odt(now)).param(odt(now)).param(appId).param(workspaceId)
                .update();
    }

    void updateSettings(UUID workspaceId, UUID appId, String passcodeHash, Instant expiresAt, boolean showGraph, Instant now) {
        jdbc.sql("""
                        UPDATE share_links SET passcode_hash = ?, expires_at = ?, show_graph = ?, updated_at = ?
                        WHERE app_id = ? AND workspace_id = ?""")
                .param(passcodeHash).param(odt(expiresAt)).param(showGraph).param(odt(now)).param(appId).param(workspaceId)
                .update();
    }

    private static LinkRow row(ResultSet rs, int n) throws SQLException {
        return new LinkRow(rs.getObject("app_id", UUID.class), rs.getObject("workspace_id", UUID.class),
                rs.getBytes("token_hash"), rs.getString("token_sealed"), rs.getString("passcode_hash"),
                instant(rs, "expires_at"), rs.getBoolean("show_graph"), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "token_issued_at"), instant(rs, "revoked_at"));
    }

    private static OffsetDateTime odt(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
