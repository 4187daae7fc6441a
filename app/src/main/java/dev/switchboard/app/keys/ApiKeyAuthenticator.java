package dev.switchboard.app.keys;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Turns a presented key into a {@link Caller} — on every API request, so it is a plain (not
 * proxied) component with a cache in front of one indexed query.
 *
 * <p>Lookup is by the key's SHA-256. That is timing-safe without a constant-time comparison: an
 * attacker who measures how far an index search got learns about a <em>hash</em> prefix, which
 * they cannot turn into a key (pre-image resistance); the row found is still compared with
 * {@link MessageDigest#isEqual}. Results are cached for {@link KeyProperties#cacheTtl()}, misses
 * included, so a flood of wrong keys costs no queries; {@link #evict} makes a revocation
 * immediate in this process. Last use is recorded at the precision of the cache TTL.
 */
@Component
public class ApiKeyAuthenticator {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final LoadingCache<String, Optional<Caller>> cache;

    ApiKeyAuthenticator(JdbcClient jdbc, Clock clock, KeyProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.cacheTtl())
                .maximumSize(properties.cacheSize())
                .build(this::load);
    }

    /** The caller a presented key stands for; empty when unknown or revoked. */
    public Optional<Caller> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
            return Optional.empty();
        }
        return cache.get(HexFormat.of().formatHex(sha256(presentedKey)));
    }

    void evict(byte[] keyHash) {
        cache.invalidate(HexFormat.of().formatHex(keyHash));
    }

    private Optional<Caller> load(String hashHex) {
        byte[] hash = HexFormat.of().parseHex(hashHex);
        Optional<Caller> caller = jdbc.sql("""
                        SELECT k.id, k.workspace_id, k.role, w.is_default, k.key_hash
                        FROM api_keys k JOIN workspaces w ON w.id = k.workspace_id
                        WHERE k.key_hash = ? AND k.revoked_at IS NULL""")
                .param(hash)
                .query((rs, n) -> MessageDigest.isEqual(hash, rs.getBytes("key_hash"))
                        ? new Caller(rs.getObject("workspace_id", UUID.class), rs.getObject("id", UUID.class),
                                KeyRole.fromWire(rs.getString("role")), rs.getBoolean("is_default"))
                        : null)
                .optional();
        caller.ifPresent(c -> jdbc.sql("UPDATE api_keys SET last_used_at = ? WHERE id = ?")
                .param(clock.instant().atOffset(ZoneOffset.UTC)).param(c.keyId()).update());
        return caller;
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
