package dev.switchboard.app.keys;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

class KeysApiIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aNewKeyIsShownOnceStoredHashedAndWorks() {
        Response created = api.post("/api/v1/keys", Map.of("name", "ci", "role", "build"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        String secret = body.get("secret").asString();
        assertThat(secret).startsWith("sb_").hasSizeGreaterThan(40);
        assertThat(body.get("role").asString()).isEqualTo("build");
        assertThat(body.get("hint").asString()).doesNotContain(secret.substring(7, secret.length() - 4));

        // the database holds the SHA-256, never the key
        String id = body.get("id").asString();
        byte[] stored = jdbc.queryForObject("SELECT key_hash FROM api_keys WHERE id = ?::uuid", byte[].class, id);
        assertThat(HexFormat.of().formatHex(stored)).isEqualTo(HexFormat.of().formatHex(ApiKeyService.sha256(secret)));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_keys WHERE key_hint LIKE ?", Long.class, "%" + secret + "%")).isZero();

        Api withNewKey = api.withKey(secret);
        assertThat(withNewKey.post("/api/v1/apps", app("made-with-build-key", greeting())).status()).isEqualTo(201);
        // listed without the secret
        Response listed = api.get("/api/v1/keys");
        assertThat(listed.body()).contains(id).doesNotContain(secret);
        assertThat(api.get("/api/v1/keys/" + id).json().has("secret")).isFalse();
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        JsonNode created = api.post("/api/v1/keys", Map.of("name", "short-lived", "role", "run")).json();
        Api other = api.withKey(created.get("secret").asString());
        assertThat(other.get("/api/v1/apps").status()).isEqualTo(200);

        Response revoked = api.delete("/api/v1/keys/" + created.get("id").asString());

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("revokedAt").isNull()).isFalse();
        Response refused = other.get("/api/v1/apps");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void rolesLimitWhatAKeyMayDo() {
        String runKey = api.post("/api/v1/keys", Map.of("name", "runner", "role", "run")).json().get("secret").asString();
        Api runner = api.withKey(runKey);

        Response createApp = runner.post("/api/v1/apps", app("not-allowed", greeting()));
        assertThat(createApp.status()).isEqualTo(403);
        assertThat(createApp.json().get("code").asString()).isEqualTo("forbidden");
        assertThat(runner.get("/api/v1/keys").status()).isEqualTo(403);
        assertThat(runner.post("/api/v1/keys", Map.of("name", "escalate", "role", "admin")).status()).isEqualTo(403);
        assertThat(runner.get("/api/v1/apps").status()).isEqualTo(200);
    }

    @Test
    void keyRequestsAreValidated() {
        assertThat(api.post("/api/v1/keys", Map.of("name", "x", "role", "root")).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/keys", Map.of("role", "run")).status()).isEqualTo(422);
        assertThat(api.delete("/api/v1/keys/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void theBootstrapKeyIsAnAdminOfTheDefaultWorkspace() {
        JsonNode workspace = api.get("/api/v1/workspace").json();
        assertThat(workspace.get("isDefault").asBoolean()).isTrue();
        assertThat(api.get("/api/v1/keys").json().valueStream()
                .anyMatch(k -> k.get("name").asString().contains("SWITCHBOARD_API_KEY") && k.get("role").asString().equals("admin")))
                .isTrue();
    }
}
