package dev.switchboard.app.share;

import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The owner's side of share links: minted by publishing, settings, rotation, revocation, drafts. */
class ShareLinksIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    ShareClient share;

    @BeforeEach
    void client() {
        share = new ShareClient(api);
    }

    @Test
    void publishingMintsOneUnguessableShareUrlThatLaterPublishesKeep() {
        String appId = share.createApp(greeting());

        Response first = api.post("/api/v1/apps/" + appId + "/publish", "");
        String url = first.json().get("shareUrl").asString();
        assertThat(first.json().get("version").asInt()).isEqualTo(1);
        assertThat(url).matches("http://127\\.0\\.0\\.1:" + port + "/s/[A-Za-z0-9_-]{32}");

        api.put("/api/v1/apps/" + appId, Map.of("graph", greeting("Hi, {{in.text}}.")));
        Response second = api.post("/api/v1/apps/" + appId + "/publish", "");
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        assertThat(second.json().get("shareUrl").asString()).isEqualTo(url);
        Response unchanged = api.post("/api/v1/apps/" + appId + "/publish", "");
        assertThat(unchanged.json().get("shareUrl").asString()).isEqualTo(url);

        JsonNode settings = api.get("/api/v1/apps/" + appId + "/share").json();
        assertThat(settings.get("status").asString()).isEqualTo("active");
        assertThat(settings.get("shareUrl").asString()).isEqualTo(url);
        assertThat(settings.get("publishedVersion").asInt()).isEqualTo(2);
        assertThat(settings.get("passcodeRequired").asBoolean()).isFalse();
        assertThat(settings.get("showGraph").asBoolean()).isFalse();

        // the token is stored only as its SHA-256 and sealed, never in clear
        String token = url.substring(url.lastIndexOf('/') + 1);
        Map<String, Object> row = jdbc.queryForMap("SELECT encode(token_hash, 'hex') AS hash, token_sealed FROM share_links "
                + "WHERE app_id = ?::uuid", appId);
        assertThat(row.get("hash")).isEqualTo(HexFormat.of().formatHex(ShareTokens.sha256(token)));
        assertThat((String) row.get("token_sealed")).doesNotContain(token).startsWith("v1:");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM share_links WHERE row_to_json(share_links)::text LIKE ?",
                Long.class, "%" + token + "%")).isZero();
    }

    @Test
    void anAppWithoutAPublishedVersionHasNoShareUrlAndItsDraftIsNeverReachable() {
        String appId = share.createApp(greeting("v1 {{in.text}}"));
        JsonNode pending = api.get("/api/v1/apps/" + appId + "/share").json();
        assertThat(pending.get("status").asString()).isEqualTo("pending");
        assertThat(pending.get("shareUrl").isNull()).isTrue();
        assertThat(api.post("/api/v1/apps/" + appId + "/share/rotate", "").status()).isEqualTo(409);

        String path = share.publish(appId);
        api.put("/api/v1/apps/" + appId, Map.of("graph", Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "text", "type", "text", "required", true),
                                Map.of("name", "secret", "type", "text")))),
                        Map.of("id", "say", "type", "transform", "config", Map.of("template", "draft {{in.text}} {{in.secret}}")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("greeting", "{{say.text}}")))),
                "edges", List.of(TestGraphs.edge("in", "say"), TestGraphs.edge("say", "out")))));

        Response page = share.get(path);
        assertThat(page.body()).contains("name=\"text\"").doesNotContain("name=\"secret\"");
        Response run = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "x")));
        assertThat(run.json().get("outputs").get("greeting").asString()).isEqualTo("v1 x");
        Response draftField = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "x", "secret", "y")));
        assertThat(draftField.status()).isEqualTo(422);
        assertThat(draftField.json().get("errors").get(0).get("field").asString()).isEqualTo("inputs.secret");
    }

    @Test
    void rotatingIssuesANewUrlAndTheOldOneStopsAtOnce() {
        String appId = share.createApp(greeting());
        String old = share.publish(appId);

        JsonNode rotated = api.post("/api/v1/apps/" + appId + "/share/rotate", "").json();

        String fresh = java.net.URI.create(rotated.get("shareUrl").asString()).getPath();
        assertThat(fresh).isNotEqualTo(old);
        assertThat(share.get(old).status()).isEqualTo(404);
        assertThat(share.get(fresh).status()).isEqualTo(200);
        assertThat(share.postJson(old + "/run", Map.of("inputs", Map.of("text", "x"))).status()).isEqualTo(404);
    }

    @Test
    void revokingSwitchesSharingOffUntilRotatedAndPublishingDoesNotReShare() {
        String appId = share.createApp(greeting());
        String path = share.publish(appId);

        assertThat(api.delete("/api/v1/apps/" + appId + "/share").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/apps/" + appId + "/share").status()).isEqualTo(204);

        assertThat(share.get(path).status()).isEqualTo(404);
        JsonNode settings = api.get("/api/v1/apps/" + appId + "/share").json();
        assertThat(settings.get("status").asString()).isEqualTo("revoked");
        assertThat(settings.get("shareUrl").isNull()).isTrue();
        api.put("/api/v1/apps/" + appId, Map.of("graph", greeting("Yo {{in.text}}")));
        Response republished = api.post("/api/v1/apps/" + appId + "/publish", "");
        assertThat(republished.json().get("version").asInt()).isEqualTo(2);
        assertThat(republished.json().has("shareUrl")).isFalse();

        JsonNode rotated = api.post("/api/v1/apps/" + appId + "/share/rotate", "").json();
        assertThat(rotated.get("status").asString()).isEqualTo("active");
        assertThat(share.get(java.net.URI.create(rotated.get("shareUrl").asString()).getPath()).status()).isEqualTo(200);
        assertThat(share.get(path).status()).isEqualTo(404);
    }

    @Test
    void settingsAreValidatedAndNeedABuildKey() {
        String appId = share.createApp(greeting());
        share.publish(appId);

        Response unknown = api.put("/api/v1/apps/" + appId + "/share", Map.of("showGraph", true, "graph", Map.of()));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("errors").get(0).get("field").asString()).isEqualTo("graph");
        assertThat(api.put("/api/v1/apps/" + appId + "/share", Map.of("passcode", "abc")).status()).isEqualTo(422);
        assertThat(api.put("/api/v1/apps/" + appId + "/share", Map.of("expiresAt", "2001-01-01T00:00:00Z")).status())
                .isEqualTo(422);
        assertThat(api.put("/api/v1/apps/" + appId + "/share", Map.of("expiresAt", "tomorrow")).status()).isEqualTo(422);
        assertThat(api.put("/api/v1/apps/" + appId + "/share", Map.of("showGraph", "yes")).status()).isEqualTo(422);

        Response ok = api.put("/api/v1/apps/" + appId + "/share",
                Map.of("passcode", "open sesame", "expiresAt", "2099-01-01T00:00:00Z", "showGraph", true));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().get("passcodeRequired").asBoolean()).isTrue();
        assertThat(ok.json().get("expiresAt").asString()).isEqualTo("2099-01-01T00:00:00Z");
        assertThat(ok.json().get("showGraph").asBoolean()).isTrue();
        assertThat(ok.body()).doesNotContain("open sesame").doesNotContain("pbkdf2");
        assertThat(jdbc.queryForObject("SELECT passcode_hash FROM share_links WHERE app_id = ?::uuid", String.class, appId))
                .startsWith("pbkdf2-sha256$").doesNotContain("open sesame");

        java.util.HashMap<String, Object> clear = new java.util.HashMap<>();
        clear.put("passcode", null);
        clear.put("expiresAt", null);
        JsonNode cleared = api.put("/api/v1/apps/" + appId + "/share", clear).json();
        assertThat(cleared.get("passcodeRequired").asBoolean()).isFalse();
        assertThat(cleared.get("expiresAt").isNull()).isTrue();
        assertThat(cleared.get("showGraph").asBoolean()).as("absent fields stay").isTrue();

        String runKey = api.post("/api/v1/keys", Map.of("name", "runner-" + UUID.randomUUID(), "role", "run"))
                .json().get("secret").asString();
        assertThat(api.withKey(runKey).put("/api/v1/apps/" + appId + "/share", Map.of("showGraph", false)).status())
                .isEqualTo(403);
        assertThat(api.withKey(runKey).delete("/api/v1/apps/" + appId + "/share").status()).isEqualTo(403);
        assertThat(api.withKey(runKey).get("/api/v1/apps/" + appId + "/share").status()).isEqualTo(200);
        assertThat(api.withKey(null).get("/api/v1/apps/" + appId + "/share").status()).isEqualTo(401);
    }

    @Test
    void settingsChosenBeforeTheFirstPublishApplyToTheMintedLink() {
        String appId = share.createApp(greeting());
        assertThat(api.put("/api/v1/apps/" + appId + "/share", Map.of("passcode", "before-publish")).status()).isEqualTo(200);

        String path = share.publish(appId);

        assertThat(share.get(path).body()).contains("type=\"password\"");
    }

    @Test
    void anotherWorkspacesAppIsNotFound() {
        String appId = share.createApp(greeting());
        share.publish(appId);
        JsonNode created = api.post("/api/v1/workspaces", Map.of("name", "other-" + UUID.randomUUID())).json();
        String otherKey = created.get("adminKey").get("secret").asString();

        assertThat(api.withKey(otherKey).get("/api/v1/apps/" + appId + "/share").status()).isEqualTo(404);
        assertThat(api.withKey(otherKey).post("/api/v1/apps/" + appId + "/share/rotate", "").status()).isEqualTo(404);
        assertThat(api.withKey(otherKey).delete("/api/v1/apps/" + appId + "/share").status()).isEqualTo(404);
        assertThat(api.withKey(otherKey).get("/api/v1/apps/" + appId + "/graph.svg").status()).isEqualTo(404);
    }
}
