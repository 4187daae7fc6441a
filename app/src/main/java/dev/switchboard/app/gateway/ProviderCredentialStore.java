package dev.switchboard.app.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.secrets.SecretException;
import dev.switchboard.gateway.CredentialResolver;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.Secret;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Per-workspace provider API keys ({@code provider_credentials}), sealed with {@link SecretBox}
 * and handed to the gateway as a {@link CredentialResolver}: a workspace's key replaces the
 * configured key of that provider for the workspace's calls.
 *
 * <p>Decrypted keys are cached for {@code switchboard.provider-credentials.cache-ttl} (a change
 * made through this replica applies at once; other replicas follow within the TTL). A stored key
 * that cannot be opened (its master key is gone) fails the call with
 * {@link GatewayException.AuthFailed} instead of silently falling back to the operator's key.
 * Keys never appear in logs or messages. Thread-safe.
 */
@Component
final class ProviderCredentialStore implements CredentialResolver {

    private static final Logger log = LoggerFactory.getLogger(ProviderCredentialStore.class);

    /** What the API shows of a stored key. */
    record StoredCredential(String provider, String apiKeyHint, Instant createdAt, Instant updatedAt) {
    }

    private record Key(UUID workspace, String provider) {
    }

    /** A cached lookup: a key, none, or why the stored one cannot be used. */
    private record Resolved(Secret secret, String error) {
        static final Resolved NONE = new Resolved(null, null);
    }

    private final JdbcTemplate jdbc;
    private final SecretBox box;
    private final Clock clock;
    private final Cache<Key, Resolved> cache;

    ProviderCredentialStore(JdbcTemplate jdbc, SecretBox box, Clock clock, ProviderCredentialProperties properties) {
        this.jdbc = jdbc;
        this.box = box;
        this.clock = clock;
        this.cache = Caffeine.newBuilder().expireAfterWrite(properties.cacheTtl()).maximumSize(100_000).build();
    }

    static String context(UUID workspace, String provider) {
        return "provider-key:" + workspace + ":" + provider;
    }

    @Override
    public Optional<Secret> apiKey(String workspaceId, String provider) {
        UUID workspace = WorkspaceIds.parse(workspaceId);
        if (workspace == null) {
            return Optional.empty();
        }
        Resolved resolved = cache.get(new Key(workspace, provider), this::load);
        if (resolved.error() != null) {
            throw new GatewayException.AuthFailed(resolved.error(), provider, null, null);
        }
        return Optional.ofNullable(resolved.secret());
    }

    private Resolved load(Key key) {
        List<String> sealed = jdbc.queryForList(
                "SELECT api_key FROM provider_credentials WHERE workspace_id = ? AND provider = ?", String.class,
                key.workspace(), key.provider());
        if (sealed.isEmpty()) {
            return Resolved.NONE;
        }
        try {
            return new Resolved(Secret.of(box.open(sealed.getFirst(), context(key.workspace(), key.provider()))), null);
        } catch (SecretException e) {
            log.warn("The stored API key of provider '{}' for workspace {} cannot be opened: {}", key.provider(),
                    key.workspace(), e.getMessage());
            return new Resolved(null, "the workspace's stored API key for provider '" + key.provider()
                    + "' cannot be decrypted (" + e.getMessage() + "); set it again with PUT /api/v1/providers/"
                    + key.provider() + "/credentials");
        }
    }

    StoredCredential put(UUID workspace, String provider, String apiKey) {
        Instant now = clock.instant();
        String hint = SecretBox.mask(apiKey);
        jdbc.update("""
                INSERT INTO provider_credentials (workspace_id, provider, api_key, key_hint, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (workspace_id, provider) DO UPDATE SET api_key = EXCLUDED.api_key,
                    key_hint = EXCLUDED.key_hint, updated_at = EXCLUDED.updated_at""",
                workspace, provider, box.seal(apiKey, context(workspace, provider)), hint, Timestamp.from(now),
                Timestamp.from(now));
        cache.invalidate(new Key(workspace, provider));
        return find(workspace, provider).orElseThrow();
    }

    boolean delete(UUID workspace, String provider) {
        int removed = jdbc.update("DELETE FROM provider_credentials WHERE workspace_id = ? AND provider = ?",
                workspace, provider);
        cache.invalidate(new Key(workspace, provider));
        return removed > 0;
    }

    Optional<StoredCredential> find(UUID workspace, String provider) {
        return jdbc.query("""
                SELECT provider, key_hint, created_at, updated_at FROM provider_credentials
                WHERE workspace_id = ? AND provider = ?""", (rs, i) -> new StoredCredential(rs.getString(1),
                rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                rs.getObject(4, OffsetDateTime.class).toInstant()), workspace, provider).stream().findFirst();
    }

    List<StoredCredential> list(UUID workspace) {
        return jdbc.query("""
                SELECT provider, key_hint, created_at, updated_at FROM provider_credentials
                WHERE workspace_id = ? ORDER BY provider""", (rs, i) -> new StoredCredential(rs.getString(1),
                rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                rs.getObject(4, OffsetDateTime.class).toInstant()), workspace);
    }
}
