package dev.switchboard.app.keys;

import dev.switchboard.app.support.Ids;
import dev.switchboard.app.web.ApiException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API keys: {@code sb_} + 256 random bits, shown once at creation and stored only as SHA-256
 * ({@link ApiKeyAuthenticator} checks them). Revoking evicts the key from this process's cache at once.
 */
@Service
public class ApiKeyService {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);
    private static final String PREFIX = "sb_";

    private final ApiKeyRepository repository;
    private final ApiKeyAuthenticator authenticator;
    private final Ids ids;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(ApiKeyRepository repository, ApiKeyAuthenticator authenticator, Ids ids, Clock clock) {
        this.repository = repository;
        this.authenticator = authenticator;
        this.ids = ids;
        this.clock = clock;
    }

    /** Creates a key; the returned secret is not stored anywhere and cannot be shown again. */
    @Transactional
    public CreatedApiKey create(UUID workspaceId, String name, KeyRole role) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKeyEntity entity = new ApiKeyEntity(ids.next(), workspaceId, name, role, sha256(secret), hint(secret),
                false, clock.instant());
        repository.save(entity);
        return new CreatedApiKey(entity.toView(), secret);
    }

    @Transactional(readOnly = true)
    public List<ApiKeyView> list(UUID workspaceId) {
        return repository.findByWorkspaceIdOrderByCreatedAtAscIdAsc(workspaceId).stream()
                .map(ApiKeyEntity::toView).toList();
    }

    @Transactional(readOnly = true)
    public ApiKeyView get(UUID workspaceId, UUID id) {
        return repository.findByIdAndWorkspaceId(id, workspaceId).map(ApiKeyEntity::toView)
                .orElseThrow(() -> ApiException.notFound("API key", id));
    }

    /** Revokes a key of the workspace (idempotent); it stops working in this process at once. */
    @Transactional
    public ApiKeyView revoke(UUID workspaceId, UUID id) {
        ApiKeyEntity entity = repository.findByIdAndWorkspaceId(id, workspaceId)
                .orElseThrow(() -> ApiException.notFound("API key", id));
        if (entity.revokedAt == null) {
            entity.revokedAt = clock.instant();
        }
        authenticator.evict(entity.keyHash);
        return entity.toView();
    }

    /**
     * Registers the operator's key (env {@code SWITCHBOARD_API_KEY}) as an admin key of the
     * default workspace. Idempotent across restarts; an earlier, different bootstrap key is
     * revoked (the environment is the source of truth for it). A bootstrap key that was revoked
     * through the API stays revoked.
     */
    @Transactional
    public void registerBootstrapKey(String secret, UUID defaultWorkspaceId) {
        byte[] hash = sha256(secret);
        for (ApiKeyEntity old : repository.findByBootstrapTrueAndRevokedAtIsNull()) {
            if (!MessageDigest.isEqual(old.keyHash, hash)) {
                old.revokedAt = clock.instant();
                authenticator.evict(old.keyHash);
                log.info("Revoked the earlier bootstrap key {} (SWITCHBOARD_API_KEY changed)", old.keyHint);
            }
        }
        Optional<ApiKeyEntity> existing = repository.findByKeyHash(hash);
        if (existing.isPresent()) {
            if (existing.get().revokedAt != null) {
                log.warn("SWITCHBOARD_API_KEY was revoked through the API and stays revoked; set a new one");
            }
            return;
        }
        if (secret.length() < 16) {
            log.warn("SWITCHBOARD_API_KEY is shorter than 16 characters; use a long random key outside tests");
        }
        repository.save(new ApiKeyEntity(ids.next(), defaultWorkspaceId, "bootstrap (SWITCHBOARD_API_KEY)",
                KeyRole.ADMIN, hash, hint(secret), true, clock.instant()));
        log.info("Registered SWITCHBOARD_API_KEY as an admin key of the default workspace");
    }

    /**
     * Creates an admin key for the workspace when it has no active admin key (first start without
     * {@code SWITCHBOARD_API_KEY}); empty when one exists.
     */
    @Transactional
    public Optional<CreatedApiKey> createAdminKeyIfNone(UUID workspaceId) {
        boolean hasAdmin = repository.findByWorkspaceIdOrderByCreatedAtAscIdAsc(workspaceId).stream()
                .anyMatch(k -> k.revokedAt == null && KeyRole.ADMIN.wire().equals(k.role));
        return hasAdmin ? Optional.empty() : Optional.of(create(workspaceId, "generated admin key", KeyRole.ADMIN));
    }

    static byte[] sha256(String secret) {
        return ApiKeyAuthenticator.sha256(secret);
    }

    static String hint(String secret) {
        // only long random keys give away a few characters; a short operator key shows nothing
        if (secret.length() < 32) {
            return "…";
        }
        return secret.substring(0, 7) + "…" + secret.substring(secret.length() - 4);
    }
}
