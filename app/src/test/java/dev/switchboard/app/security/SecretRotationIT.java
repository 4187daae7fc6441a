package dev.switchboard.app.security;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.secrets.SealedColumn;
import dev.switchboard.app.secrets.SecretBox;
import dev.switchboard.app.secrets.SecretRotation;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Master-key rotation: with the new key as {@code master-key} and the old one under
 * {@code previous-keys}, every sealed column (provider keys, endpoint keys, Twilio tokens, share
 * tokens) still opens, and {@link SecretRotation} re-seals what the old key sealed — after which
 * nothing in the database needs the old key, and the API answers exactly as before.
 */
class SecretRotationIT extends IntegrationTest {

    private static final byte[] OLD_KEY = random();
    private static final byte[] NEW_KEY = random();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SecretBox box;
    @Autowired
    SecretRotation rotation;
    @Autowired
    List<SealedColumn> columns;

    @DynamicPropertySource
    static void rotatingKeys(DynamicPropertyRegistry registry) {
        registry.add("switchboard.secrets.master-key", () -> Base64.getEncoder().encodeToString(NEW_KEY));
        registry.add("switchboard.secrets.previous-keys[0]", () -> Base64.getEncoder().encodeToString(OLD_KEY));
        registry.add("switchboard.outbound.allow", () -> "127.0.0.1:9");
    }

    private static byte[] random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void valuesSealedUnderTheOldKeyAreResealedUnderTheNewOneAndKeepWorking() {
        Response ws = api.post("/api/v1/workspaces", Map.of("name", "rotation-" + UUID.randomUUID()));
        Api client = api.withKey(ws.json().get("adminKey").get("secret").asString());
        String appId = client.post("/api/v1/apps", app("rotation", greeting())).json().get("id").asString();
        String shareUrl = client.post("/api/v1/apps/" + appId + "/publish", "").json().get("shareUrl").asString();
        assertThat(client.put("/api/v1/apps/" + appId + "/twilio", Map.of("accountSid", "AC" + "4".repeat(32),
                "authToken", "rotation-token-0123456789", "phoneNumber", "+15005550006")).status()).isEqualTo(200);
        assertThat(client.put("/api/v1/providers/fake/credentials", Map.of("apiKey", "sk-rotation-provider-key")).status())
                .isEqualTo(200);
        assertThat(client.put("/api/v1/providers/mine", Map.of("baseUrl", "http://127.0.0.1:9/v1",
                "apiKey", "sk-rotation-endpoint-key")).status()).isEqualTo(200);
        String twilioBefore = client.get("/api/v1/apps/" + appId + "/twilio").body();

        // as if stored before the rotation: every value re-written sealed under the old key alone
        SecretBox old = new SecretBox(OLD_KEY, List.of(), new SecureRandom());
        int rewritten = 0;
        for (SealedColumn c : columns) {
            for (Map<String, Object> row : rows(c)) {
                String context = c.context().apply(row);
                String plain = box.open((String) row.get("sealed"), context);
                rewritten += jdbc.update("UPDATE " + c.table() + " SET " + c.column() + " = ? WHERE " + c.column() + " = ?",
                        old.seal(plain, context), row.get("sealed"));
            }
        }
        assertThat(rewritten).isGreaterThanOrEqualTo(4);
        assertThat(stillUnderTheOldKey(old)).isEqualTo(rewritten);
        // the old key still opens them meanwhile
        assertThat(client.get("/api/v1/apps/" + appId + "/share").json().get("shareUrl").asString()).isEqualTo(shareUrl);

        SecretRotation.Result result = rotation.resealAll();

        assertThat(result.resealed()).isEqualTo(rewritten);
        assertThat(result.unreadable()).isZero();
        assertThat(stillUnderTheOldKey(old)).isZero();
        assertThat(rotation.resealAll().resealed()).as("a second pass has nothing to do").isZero();
        // opened with the new key alone, the values are what they were
        SecretBox newOnly = new SecretBox(NEW_KEY, List.of(), new SecureRandom());
        for (SealedColumn c : columns) {
            for (Map<String, Object> row : rows(c)) {
                assertThat(newOnly.open((String) row.get("sealed"), c.context().apply(row))).isNotBlank();
            }
        }
        assertThat(client.get("/api/v1/apps/" + appId + "/share").json().get("shareUrl").asString()).isEqualTo(shareUrl);
        assertThat(client.get("/api/v1/apps/" + appId + "/twilio").body()).isEqualTo(twilioBefore);
        Response page = api.withKey(null).get(shareUrl.substring(shareUrl.indexOf("/s/")));
        assertThat(page.status()).isEqualTo(200);
    }

    private List<Map<String, Object>> rows(SealedColumn c) {
        return jdbc.queryForList("SELECT " + String.join(", ", c.keyColumns()) + ", " + c.column() + " AS sealed FROM "
                + c.table() + " WHERE " + c.column() + " IS NOT NULL");
    }

    private int stillUnderTheOldKey(SecretBox old) {
        String prefix = "v1:" + old.currentKeyId() + ":";
        int n = 0;
        for (SealedColumn c : columns) {
            n += jdbc.queryForObject("SELECT count(*) FROM " + c.table() + " WHERE " + c.column() + " LIKE ?", Integer.class,
                    prefix + "%");
        }
        return n;
    }
}
