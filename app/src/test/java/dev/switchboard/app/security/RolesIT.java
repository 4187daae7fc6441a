package dev.switchboard.app.security;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Key roles: {@code run} starts and reads runs, {@code build} also changes apps and their
 * settings, {@code admin} also manages keys, provider credentials, budgets (and, in the default
 * workspace, workspaces). Every operation above a key's role is 403 problem+json with code
 * {@code forbidden} — checked before the resource is looked up, so the answer is the same for
 * an app that exists and one that does not, and nothing is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    private Api admin;
    private Api build;
    private Api run;
    private String appId;

    @BeforeAll
    void keysOfEachRoleInAFreshWorkspace() {
        Api operator = new Api("http://127.0.0.1:" + port, ADMIN_KEY);
        Response ws = operator.post("/api/v1/workspaces", Map.of("name", "roles-" + UUID.randomUUID()));
        assertThat(ws.status()).as(ws.body()).isEqualTo(201);
        admin = operator.withKey(ws.json().get("adminKey").get("secret").asString());
        build = admin.withKey(key("build"));
        run = admin.withKey(key("run"));
        Response created = admin.post("/api/v1/apps", app("roles-app", greeting()));
        appId = created.json().get("id").asString();
        assertThat(admin.post("/api/v1/apps/" + appId + "/publish", "").status()).isEqualTo(200);
    }

    private String key(String role) {
        Response r = admin.post("/api/v1/keys", Map.of("name", role + "-key", "role", role));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("secret").asString();
    }

    /** Operations that need build (or admin): refused for run keys. */
    Stream<Arguments> buildOperations() {
        String app = "/api/v1/apps/" + appId;
        String other = "/api/v1/apps/" + UUID.randomUUID();
        Map<String, Object> testCase = Map.of("name", "c", "inputs", Map.of("text", "x"),
                "assertions", List.of(Map.of("type", "contains", "value", "x")));
        return Stream.of(
                call("POST", "/api/v1/apps", app("by-run-key", greeting())),
                call("PUT", app, Map.of("name", "renamed")),
                call("PUT", other, Map.of("name", "renamed")),
                call("DELETE", app, null),
                call("POST", app + "/publish", ""),
                call("PUT", app + "/share", Map.of("showGraph", true)),
                call("POST", app + "/share/rotate", ""),
                call("DELETE", app + "/share", null),
                call("PUT", app + "/twilio", Map.of("accountSid", "AC" + "2".repeat(32), "authToken", "t0123456789",
                        "phoneNumber", "+15005550006")),
                call("DELETE", app + "/twilio", null),
                call("POST", app + "/tests", testCase),
                call("PUT", app + "/tests/" + UUID.randomUUID(), testCase),
                call("DELETE", app + "/tests/" + UUID.randomUUID(), null),
                call("PUT", app + "/settings", Map.of("requireTestsToPublish", true)),
                call("POST", app + "/test-runs", Map.of("version", "draft")),
                call("POST", "/api/v1/experiments", Map.of("prompt", "hi", "models", List.of("fake/x"))),
                call("POST", "/api/v1/reviews/" + UUID.randomUUID() + "/approve", Map.of()),
                call("POST", "/api/v1/reviews/" + UUID.randomUUID() + "/reject", Map.of("reason", "no")),
                call("GET", "/api/v1/providers", null),
                call("GET", "/api/v1/providers/fake", null),
                call("GET", "/api/v1/providers/fake/credentials", null),
                call("GET", "/api/v1/budget", null));
    }

    /** Operations that need admin: refused for run and build keys. */
    Stream<Arguments> adminOperations() {
        return Stream.of(
                call("GET", "/api/v1/keys", null),
                call("POST", "/api/v1/keys", Map.of("name", "escalate", "role", "admin")),
                call("GET", "/api/v1/keys/" + UUID.randomUUID(), null),
                call("DELETE", "/api/v1/keys/" + UUID.randomUUID(), null),
                call("GET", "/api/v1/workspaces", null),
                call("POST", "/api/v1/workspaces", Map.of("name", "escalate")),
                call("PUT", "/api/v1/providers/fake/credentials", Map.of("apiKey", "sk-escalate-12345678")),
                call("DELETE", "/api/v1/providers/fake/credentials", null),
                call("PUT", "/api/v1/providers/mine", Map.of("baseUrl", "https://8.8.8.8/v1")),
                call("DELETE", "/api/v1/providers/mine", null),
                call("PUT", "/api/v1/budget", Map.of("limitUsd", 1)),
                call("DELETE", "/api/v1/budget", null));
    }

    Stream<Arguments> runKeyRefusals() {
        return Stream.concat(buildOperations(), adminOperations());
    }

    @ParameterizedTest(name = "run key: {0} {1}")
    @MethodSource("runKeyRefusals")
    void aRunKeyIsRefusedEverythingAboveRunning(String method, String path, Object body) {
        assertForbidden(CrossTenantIT.send(run, method, path, body), method, path);
    }

    @ParameterizedTest(name = "build key: {0} {1}")
    @MethodSource("adminOperations")
    void aBuildKeyIsRefusedAdministration(String method, String path, Object body) {
        assertForbidden(CrossTenantIT.send(build, method, path, body), method, path);
    }

    @Test
    void onlyAdminsOfTheDefaultWorkspaceManageWorkspaces() {
        // admin is an admin, but of another workspace
        assertForbidden(admin.get("/api/v1/workspaces"), "GET", "/api/v1/workspaces");
        assertForbidden(admin.post("/api/v1/workspaces", Map.of("name", "nested")), "POST", "/api/v1/workspaces");
    }

    @Test
    void eachRoleCanDoWhatItIsFor() {
        String app = "/api/v1/apps/" + appId;
        assertThat(run.get("/api/v1/apps").status()).isEqualTo(200);
        assertThat(run.get(app).status()).isEqualTo(200);
        JsonNode ran = run.post(app + "/runs", Map.of("inputs", Map.of("text", "Ada"))).json();
        assertThat(ran.get("status").asString()).isEqualTo("succeeded");
        assertThat(run.get("/api/v1/runs/" + ran.get("id").asString()).status()).isEqualTo(200);
        assertThat(run.get("/api/v1/reviews").status()).isEqualTo(200);
        assertThat(run.get("/v1/models").status()).isEqualTo(200);

        Response made = build.post("/api/v1/apps", app("by-build-key", greeting()));
        assertThat(made.status()).isEqualTo(201);
        assertThat(build.post("/api/v1/apps/" + made.json().get("id").asString() + "/publish", "").status()).isEqualTo(200);
        assertThat(build.get("/api/v1/budget").status()).isEqualTo(200);

        assertThat(admin.put("/api/v1/budget", Map.of("limitUsd", 5)).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/keys").status()).isEqualTo(200);
    }

    @Test
    void refusedWritesLeaveNoTrace() {
        long apps = count("apps");
        long keys = count("api_keys");
        long cases = count("app_tests");
        runKeyRefusals().forEach(a -> CrossTenantIT.send(run, (String) a.get()[0], (String) a.get()[1], a.get()[2]));
        assertThat(count("apps")).isEqualTo(apps);
        assertThat(count("api_keys")).isEqualTo(keys);
        assertThat(count("app_tests")).isEqualTo(cases);
        JsonNode appView = admin.get("/api/v1/apps/" + appId).json();
        assertThat(appView.get("name").asString()).isEqualTo("roles-app");
    }

    @Test
    void lastUseOfAKeyIsVisibleToAdmins() {
        Response created = admin.post("/api/v1/keys", Map.of("name", "watched", "role", "run"));
        String id = created.json().get("id").asString();
        assertThat(admin.get("/api/v1/keys/" + id).json().get("lastUsedAt").isNull()).isTrue();

        assertThat(admin.withKey(created.json().get("secret").asString()).get("/api/v1/apps").status()).isEqualTo(200);

        JsonNode listed = null;
        for (JsonNode k : admin.get("/api/v1/keys").json()) {
            if (k.get("id").asString().equals(id)) {
                listed = k;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("lastUsedAt").isNull()).as(listed.toString()).isFalse();
        assertThat(listed.has("secret")).isFalse();
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
    }

    private static void assertForbidden(Response r, String method, String path) {
        assertThat(r.status()).as(method + " " + path + " → " + r).isEqualTo(403);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asString()).isEqualTo("forbidden");
    }

    private static Arguments call(String method, String path, Object body) {
        return Arguments.of(method, path, body);
    }
}
