package dev.switchboard.app.security;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.edge;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static dev.switchboard.app.support.TestGraphs.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Tenant isolation over the real API: two workspaces made through {@code POST /api/v1/workspaces};
 * workspace B owns one of every resource, and A's admin key (which may do anything in A) must get
 * 404 problem+json for each of B's resources — never 403 (that would confirm B's id exists), never
 * B's data — and lists in A never show B's items. B's resources are unchanged afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossTenantIT extends IntegrationTest {

    private static final String B_TWILIO_TOKEN = "b-twilio-token-5d1e0c7a9b3f4e21";
    private static final String B_PROVIDER_KEY = "sk-b-provider-key-8c2e4f6a";
    private static final String B_ENDPOINT_KEY = "sk-b-endpoint-key-1a2b3c4d";
    private static final String B_PASSCODE = "b-passcode-2468";

    @Autowired
    JdbcTemplate jdbc;

    private Api a;
    private Api b;
    private String bWorkspace;
    private String bApp;
    private String bAppName;
    private String bRun;
    private String bReviewApp;
    private String bReview;
    private String bTestCase;
    private String bTestRun;
    private String bExperiment;
    private String bKey;
    private String bShareUrl;

    @BeforeAll
    void createTwoWorkspacesAndEverythingInB() {
        Api operator = new Api("http://127.0.0.1:" + port, ADMIN_KEY);
        a = workspace(operator, "tenant-a");
        b = workspace(operator, "tenant-b");
        bWorkspace = b.get("/api/v1/workspace").json().get("id").asString();

        bAppName = "b-secret-app-" + UUID.randomUUID();
        bApp = created(b.post("/api/v1/apps", app(bAppName, greeting()))).get("id").asString();
        bTestCase = created(b.post("/api/v1/apps/" + bApp + "/tests", Map.of("name", "b-case", "inputs",
                Map.of("text", "Ada"), "assertions", List.of(Map.of("type", "contains", "value", "Ada"))))).get("id").asString();
        bTestRun = created(b.post("/api/v1/apps/" + bApp + "/test-runs", Map.of("version", "draft"))).get("id").asString();
        JsonNode published = ok(b.post("/api/v1/apps/" + bApp + "/publish", ""));
        bShareUrl = published.get("shareUrl").asString();
        ok(b.put("/api/v1/apps/" + bApp + "/share", Map.of("passcode", B_PASSCODE)));
        ok(b.put("/api/v1/apps/" + bApp + "/twilio", Map.of("accountSid", "AC" + "0".repeat(31) + "b",
                "authToken", B_TWILIO_TOKEN, "phoneNumber", "+15005550006")));
        bRun = ok(b.post("/api/v1/apps/" + bApp + "/runs", Map.of("inputs", Map.of("text", "Bea")))).get("id").asString();

        bReviewApp = created(b.post("/api/v1/apps", app("b-review-" + UUID.randomUUID(), reviewed()))).get("id").asString();
        Response waiting = b.post("/api/v1/apps/" + bReviewApp + "/runs?mode=async", Map.of("inputs", Map.of("text", "x")));
        assertThat(waiting.status()).as(waiting.body()).isEqualTo(202);
        bReview = awaitOpenReview(bReviewApp);

        bExperiment = created(b.post("/api/v1/experiments", Map.of("name", "b-experiment", "prompt", "hi",
                "models", List.of("fake/tenant-no-such-model")))).get("id").asString();
        bKey = created(b.post("/api/v1/keys", Map.of("name", "b-run-key", "role", "run"))).get("id").asString();
        ok(b.put("/api/v1/providers/fake/credentials", Map.of("apiKey", B_PROVIDER_KEY)));
        ok(b.put("/api/v1/providers/bonly", Map.of("baseUrl", "https://8.8.8.8/v1", "apiKey", B_ENDPOINT_KEY,
                "models", List.of("b-model"))));
        ok(b.put("/api/v1/budget", Map.of("limitUsd", 12.34)));
    }

    /** Every endpoint that names one of B's resources, called with A's admin key. */
    Stream<Arguments> bResources() {
        String app = "/api/v1/apps/" + bApp;
        Map<String, Object> graph = greeting();
        return Stream.of(
                call("GET", app, null),
                call("PUT", app, Map.of("name", "taken over")),
                call("PUT", app, Map.of("graph", graph)),
                call("DELETE", app, null),
                call("POST", app + "/publish", ""),
                call("GET", app + "/versions", null),
                call("GET", app + "/versions/1", null),
                call("GET", app + "/graph.svg", null),
                call("POST", app + "/runs", Map.of("inputs", Map.of("text", "x"))),
                call("POST", app + "/runs?mode=async", Map.of("inputs", Map.of("text", "x"))),
                call("GET", "/api/v1/runs/" + bRun, null),
                call("POST", "/api/v1/runs/" + bRun + "/cancel", ""),
                call("GET", "/api/v1/reviews/" + bReview, null),
                call("POST", "/api/v1/reviews/" + bReview + "/approve", Map.of("text", "approved by A")),
                call("POST", "/api/v1/reviews/" + bReview + "/reject", Map.of("reason", "rejected by A")),
                call("GET", app + "/tests", null),
                call("POST", app + "/tests", Map.of("name", "a-case", "inputs", Map.of("text", "x"),
                        "assertions", List.of(Map.of("type", "contains", "value", "x")))),
                call("GET", app + "/tests/" + bTestCase, null),
                call("PUT", app + "/tests/" + bTestCase, Map.of("name", "a-case", "inputs", Map.of("text", "x"),
                        "assertions", List.of(Map.of("type", "contains", "value", "x")))),
                call("DELETE", app + "/tests/" + bTestCase, null),
                call("GET", app + "/settings", null),
                call("PUT", app + "/settings", Map.of("requireTestsToPublish", true)),
                call("GET", app + "/test-runs", null),
                call("POST", app + "/test-runs", Map.of("version", "draft")),
                call("GET", app + "/test-runs/" + bTestRun, null),
                call("GET", app + "/test-runs/compare?base=draft&head=draft", null),
                call("GET", "/api/v1/experiments/" + bExperiment, null),
                call("POST", "/api/v1/experiments", Map.of("appId", bApp, "nodeId", "say", "inputs", Map.of("text", "x"),
                        "models", List.of("fake/x"))),
                call("GET", app + "/share", null),
                call("PUT", app + "/share", Map.of("showGraph", true)),
                call("POST", app + "/share/rotate", ""),
                call("DELETE", app + "/share", null),
                call("GET", app + "/twilio", null),
                call("PUT", app + "/twilio", Map.of("accountSid", "AC" + "1".repeat(32), "authToken", "a-token-1234567890",
                        "phoneNumber", "+15005550007")),
                call("DELETE", app + "/twilio", null),
                call("GET", "/api/v1/keys/" + bKey, null),
                call("DELETE", "/api/v1/keys/" + bKey, null),
                call("GET", "/api/v1/providers/bonly", null),
                call("DELETE", "/api/v1/providers/bonly", null),
                call("GET", "/api/v1/providers/fake/credentials", null),
                call("GET", "/v1/models/app/" + bApp, null),
                call("GET", "/v1/models/bonly/b-model", null));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bResources")
    void anotherWorkspacesResourceIsNotFound(String method, String path, Object body) {
        Response r = send(a, method, path, body);

        assertThat(r.status()).as(method + " " + path + " → " + r).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(404);
        assertThat(r.body()).doesNotContain(bAppName, bWorkspace, B_TWILIO_TOKEN, B_PROVIDER_KEY, B_ENDPOINT_KEY,
                B_PASSCODE, "b-case", "b-experiment", "b-run-key", "Bea");
    }

    @Test
    void listsInOneWorkspaceNeverShowAnotherWorkspacesItems() {
        List<String> lists = List.of("/api/v1/apps", "/api/v1/apps?size=100", "/api/v1/runs", "/api/v1/runs?appId=" + bApp,
                "/api/v1/reviews", "/api/v1/reviews?status=open&appId=" + bReviewApp, "/api/v1/experiments",
                "/api/v1/experiments?appId=" + bApp, "/api/v1/keys", "/api/v1/providers", "/api/v1/budget",
                "/api/v1/workspace", "/v1/models");
        for (String path : lists) {
            Response r = a.get(path);
            assertThat(r.status()).as(path + " → " + r).isEqualTo(200);
            assertThat(r.body()).as(path).doesNotContain(bApp, bAppName, bRun, bReview, bReviewApp, bExperiment, bKey,
                    bWorkspace, "bonly", "12.34", B_PROVIDER_KEY, B_ENDPOINT_KEY, B_TWILIO_TOKEN);
        }
        // the provider list marks no own key for A (B's key for the same provider is B's alone)
        JsonNode fake = find(a.get("/api/v1/providers").json(), "fake");
        assertThat(fake.get("credentials").isNull()).isTrue();
    }

    @Test
    void anotherWorkspacesAppCannotBeCalledAsAModel() {
        Response r = a.post("/v1/chat/completions", Map.of("model", "app/" + bApp,
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.body()).doesNotContain(bAppName);
        Response endpoint = a.post("/v1/chat/completions", Map.of("model", "bonly/b-model",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(404);
    }

    @Test
    void writesInOneWorkspaceLeaveTheOtherWorkspacesSettingsAlone() {
        // A manages its own copies of workspace-wide settings; B's stay as they were
        assertThat(a.put("/api/v1/budget", Map.of("limitUsd", 1)).status()).isEqualTo(200);
        assertThat(a.delete("/api/v1/budget").status()).isEqualTo(204);
        assertThat(a.delete("/api/v1/providers/fake/credentials").status()).isEqualTo(204);
        assertThat(a.put("/api/v1/providers/bonly", Map.of("baseUrl", "https://8.8.4.4/v1")).status()).isEqualTo(200);
        assertThat(a.delete("/api/v1/providers/bonly").status()).isEqualTo(204);

        assertThat(b.get("/api/v1/budget").json().get("limitUsd").decimalValue()).isEqualByComparingTo("12.34");
        assertThat(b.get("/api/v1/providers/fake/credentials").status()).isEqualTo(200);
        assertThat(b.get("/api/v1/providers/bonly").json().get("baseUrl").asString()).isEqualTo("https://8.8.8.8/v1");
    }

    @Test
    void everyResourceOfBIsUntouchedAfterAsAttempts() {
        long bRunsBefore = jdbc.queryForObject("SELECT count(*) FROM runs WHERE app_id = ?::uuid", Long.class, bApp);
        // run the whole table first (JUnit orders methods arbitrarily), then look at B's side
        bResources().forEach(args -> {
            Object[] v = args.get();
            send(a, (String) v[0], (String) v[1], v[2]);
        });
        JsonNode appView = ok(b.get("/api/v1/apps/" + bApp));
        assertThat(appView.get("name").asString()).isEqualTo(bAppName);
        assertThat(appView.get("latestVersion").asInt()).isEqualTo(1);
        assertThat(ok(b.get("/api/v1/apps/" + bApp + "/tests/" + bTestCase)).get("name").asString()).isEqualTo("b-case");
        assertThat(ok(b.get("/api/v1/apps/" + bApp + "/settings")).get("requireTestsToPublish").asBoolean()).isFalse();
        JsonNode share = ok(b.get("/api/v1/apps/" + bApp + "/share"));
        assertThat(share.get("status").asString()).isEqualTo("active");
        assertThat(share.get("shareUrl").asString()).isEqualTo(bShareUrl);
        assertThat(ok(b.get("/api/v1/apps/" + bApp + "/twilio")).get("phoneNumber").asString()).isEqualTo("+15005550006");
        assertThat(ok(b.get("/api/v1/reviews/" + bReview)).get("status").asString()).isEqualTo("open");
        assertThat(ok(b.get("/api/v1/keys/" + bKey)).get("revokedAt").isNull()).isTrue();
        assertThat(ok(b.get("/api/v1/providers/bonly")).get("name").asString()).isEqualTo("bonly");
        assertThat(ok(b.get("/api/v1/runs/" + bRun)).get("status").asString()).isEqualTo("succeeded");
        // A's failed writes created no rows anywhere
        String aWorkspace = a.get("/api/v1/workspace").json().get("id").asString();
        for (String table : List.of("apps", "runs", "app_tests", "test_runs", "share_links", "twilio_settings",
                "review_tasks", "experiments")) {
            assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE workspace_id = ?::uuid", Long.class,
                    aWorkspace)).as(table).isZero();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM runs WHERE app_id = ?::uuid", Long.class, bApp))
                .as("no run of B's app started by A").isEqualTo(bRunsBefore);
    }

    // ------------------------------------------------------------------ helpers

    private static Arguments call(String method, String path, Object body) {
        return Arguments.of(method, path, body);
    }

    static Response send(Api client, String method, String path, Object body) {
        return switch (method) {
            case "GET" -> client.get(path);
            case "DELETE" -> client.delete(path);
            case "POST" -> client.post(path, body);
            case "PUT" -> client.put(path, body);
            default -> client.send(path, r -> r.method(method, HttpRequest.BodyPublishers.noBody()));
        };
    }

    private static Api workspace(Api operator, String name) {
        Response created = operator.post("/api/v1/workspaces", Map.of("name", name + "-" + UUID.randomUUID()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return operator.withKey(created.json().get("adminKey").get("secret").asString());
    }

    private static JsonNode created(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private static JsonNode ok(Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode find(JsonNode array, String name) {
        for (JsonNode n : array) {
            if (n.get("name").asString().equals(name)) {
                return n;
            }
        }
        throw new AssertionError(name + " not in " + array);
    }

    private String awaitOpenReview(String appId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            JsonNode items = b.get("/api/v1/reviews?status=open&appId=" + appId).json().get("items");
            if (items != null && !items.isEmpty()) {
                return items.get(0).get("id").asString();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no review task opened for app " + appId);
    }

    private static Map<String, Object> reviewed() {
        List<Object> nodes = new ArrayList<>(List.of(input(),
                Map.of("id", "rev", "type", "review", "config", Map.of("text", "Draft: {{in.text}}", "timeout", "2h")),
                Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{rev.text}}")))));
        return Map.of("nodes", nodes, "edges", List.of(edge("in", "rev"), edge("rev", "out")));
    }
}
