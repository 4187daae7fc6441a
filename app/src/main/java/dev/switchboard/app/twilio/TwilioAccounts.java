package dev.switchboard.app.twilio;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Per-app Twilio settings in {@code twilio_settings}, the auth token sealed with {@link SecretBox}.
 * Webhooks and sends read them through a short-lived cache
 * ({@code switchboard.twilio.settings-cache-ttl}) that changes made here evict at once. Thread-safe.
 */
@Component
class TwilioAccounts {

    private static final Logger log = LoggerFactory.getLogger(TwilioAccounts.class);

    private static final String COLUMNS = """
            s.app_id, s.workspace_id, s.account_sid, s.auth_token, s.phone_number, s.help_text, s.inline_reply_ms,
            s.webhook_base_url, s.created_at, s.updated_at""";

    /** A change to an app's settings; {@code authToken} null keeps the stored token. */
    record Change(String accountSid, String authToken, String phoneNumber, String helpText, Integer inlineReplyMs) {
    }

    private final JdbcClient jdbc;
    private final SecretBox secrets;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final Cache<UUID, Optional<TwilioAccount>> cache;

    TwilioAccounts(JdbcClient jdbc, SecretBox secrets, Clock clock, TransactionTemplate tx, TwilioProperties properties) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.clock = clock;
        this.tx = tx;
        this.cache = Caffeine.newBuilder().expireAfterWrite(properties.settingsCacheTtl()).maximumSize(10_000).build();
    }

    /** The app's settings for webhooks and sends (cached briefly); empty when it has none or does not exist. */
    Optional<TwilioAccount> find(UUID appId) {
        return cache.get(appId, id -> load("SELECT " + COLUMNS + " FROM twilio_settings s WHERE s.app_id = ?", id));
    }

    /** The settings of an app of the workspace, read now. */
    Optional<TwilioAccount> find(UUID workspaceId, UUID appId) {
        return load("SELECT " + COLUMNS + " FROM twilio_settings s WHERE s.app_id = ? AND s.workspace_id = ?",
                appId, workspaceId);
    }

    /**
     * Creates or replaces the settings of an app of the workspace.
     *
     * @throws ApiException 404 when the workspace has no such app; 422 when no token is given and none is stored
     */
    TwilioAccount put(UUID workspaceId, UUID appId, Change change) {
        TwilioAccount saved = tx.execute(status -> {
            Integer exists = jdbc.sql("SELECT 1 FROM apps WHERE id = ? AND workspace_id = ? FOR SHARE")
                    .param(appId).param(workspaceId).query(Integer.class).optional().orElse(null);
            if (exists == null) {
                throw ApiException.notFound("app", appId);
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            String sealed = change.authToken() == null ? null : secrets.seal(change.authToken(), TwilioAccount.tokenContext(appId));
            int updated = jdbc.sql("""
                            UPDATE twilio_settings SET account_sid = ?, auth_token = COALESCE(?, auth_token), phone_number = ?,
                                   help_text = ?, inline_reply_ms = ?, updated_at = ?
                            WHERE app_id = ? AND workspace_id = ?""")
                    .params(change.accountSid(), sealed, change.phoneNumber(), change.helpText(), change.inlineReplyMs(),
                            odt(now), appId, workspaceId)
                    .update();
            if (updated == 0) {
                if (sealed == null) {
                    throw ApiException.invalidFields("The Twilio settings are invalid", List.of(new FieldProblem(
                            "authToken", "required", "authToken is required (it may be left out only to keep a stored one)")));
                }
                jdbc.sql("""
                                INSERT INTO twilio_settings (app_id, workspace_id, account_sid, auth_token, phone_number, help_text,
                                                             inline_reply_ms, created_at, updated_at)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(appId, workspaceId, change.accountSid(), sealed, change.phoneNumber(), change.helpText(),
                                change.inlineReplyMs(), odt(now), odt(now))
                        .update();
            }
            return find(workspaceId, appId).orElseThrow();
        });
        cache.invalidate(appId); // committed: the next webhook or send reads the new settings
        return saved;
    }

    /** Removes the app's settings: its webhooks answer 404 from then on. */
    boolean delete(UUID workspaceId, UUID appId) {
        boolean deleted = jdbc.sql("DELETE FROM twilio_settings WHERE app_id = ? AND workspace_id = ?")
                .param(appId).param(workspaceId).update() == 1;
        cache.invalidate(appId);
        return deleted;
    }

    /**
     * Remembers where Twilio reached us (the base URL of a validly signed webhook), so status
     * callbacks can use it when no public base URL is configured. Writes only when it changed.
     */
    void rememberWebhookBase(TwilioAccount account, String baseUrl) {
        if (Objects.equals(account.webhookBaseUrl(), baseUrl)) {
            return;
        }
        try {
            jdbc.sql("UPDATE twilio_settings SET webhook_base_url = ? WHERE app_id = ?")
                    .param(baseUrl).param(account.appId()).update();
            cache.invalidate(account.appId());
        } catch (RuntimeException e) {
            log.warn("Could not remember the webhook base URL of app {}: {}", account.appId(), e.toString());
        }
    }

    private Optional<TwilioAccount> load(String sql, Object... params) {
        JdbcClient.StatementSpec spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query((rs, n) -> account(rs)).optional();
    }

    private TwilioAccount account(ResultSet rs) throws SQLException {
        UUID appId = rs.getObject("app_id", UUID.class);
        String token = secrets.open(rs.getString("auth_token"), TwilioAccount.tokenContext(appId));
        return new TwilioAccount(appId, rs.getObject("workspace_id", UUID.class), rs.getString("account_sid"), token,
                rs.getString("phone_number"), rs.getString("help_text"), inlineBudget(rs), rs.getString("webhook_base_url"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static Duration inlineBudget(ResultSet rs) throws SQLException {
        int ms = rs.getInt("inline_reply_ms");
        return rs.wasNull() ? null : Duration.ofMillis(ms);
    }

    private static OffsetDateTime odt(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
