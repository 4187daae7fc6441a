package dev.switchboard.app.runs;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.SseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

class RunsApiIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RunStore store;

    @Autowired
    RunService runService;

    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;

    private String createApp(Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", app("runs-" + UUID.randomUUID(), graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private JsonNode run(String appId, Map<String, Object> body) {
        Response r = api.post("/api/v1/apps/" + appId + "/runs", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void aSyncRunAnswersWithOutputsAndTheTraceAndIsPersisted() {
        String appId = createApp(greeting());

        Response r = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "Ada")));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode run = r.json();
        assertThat(run.get("status").asString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("greeting").asString()).isEqualTo("Hello, Ada!");
        assertThat(run.get("source").asString()).isEqualTo("api");
        assertThat(run.get("version").isNull()).isTrue();
        assertThat(run.get("draftRevision").asInt()).isEqualTo(1);
        JsonNode trace = run.get("trace");
        assertThat(trace.valueStream().map(n -> n.get("nodeId").asString()).toList()).containsExactly("in", "say", "out");
        for (JsonNode node : trace) {
            assertThat(node.get("status").asString()).isEqualTo("succeeded");
            assertThat(node.get("type").asString()).isNotBlank();
            assertThat(node.get("latencyMs").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(Instant.parse(node.get("startedAt").asString())).isNotNull();
            assertThat(node.has("inputs")).isTrue();
            assertThat(node.has("usage")).isTrue();
            assertThat(node.has("error")).isTrue();
        }
        assertThat(trace.get(1).get("outputs").get("text").asString()).isEqualTo("Hello, Ada!");
        assertThat(r.header("Location")).isEqualTo("/api/v1/runs/" + run.get("id").asString());

        JsonNode stored = api.get("/api/v1/runs/" + run.get("id").asString()).json();
        assertThat(stored.get("status").asString()).isEqualTo("succeeded");
        assertThat(stored.get("outputs")).isEqualTo(run.get("outputs"));
        assertThat(stored.get("inputs").get("text").asString()).isEqualTo("Ada");
        assertThat(stored.get("trace")).isEqualTo(run.get("trace"));
        assertThat(stored.get("createdAt")).isEqualTo(run.get("createdAt"));
        // a fast sync run is one row: its trace is stored with it
        assertThat(jdbc.queryForObject("SELECT jsonb_array_length(trace) FROM runs WHERE id = ?::uuid", Integer.class,
                run.get("id").asString())).isEqualTo(3);
    }

    @Test
    void aPlainRunUsesThePublishedVersionAndTheDraftOnlyWhenAsked() {
        String appId = createApp(greeting("v1 {{in.text}}"));
        assertThat(run(appId, Map.of("inputs", Map.of("text", "x"))).get("outputs").get("greeting").asString())
                .as("nothing published yet: the draft runs").isEqualTo("v1 x");
        api.post("/api/v1/apps/" + appId + "/publish", "");
        api.put("/api/v1/apps/" + appId, Map.of("graph", greeting("draft {{in.text}}")));

        JsonNode plain = run(appId, Map.of("inputs", Map.of("text", "x")));
        assertThat(plain.get("outputs").get("greeting").asString()).isEqualTo("v1 x");
        assertThat(plain.get("version").asInt()).isEqualTo(1);
        JsonNode draft = run(appId, Map.of("inputs", Map.of("text", "x"), "version", "draft"));
        assertThat(draft.get("outputs").get("greeting").asString()).isEqualTo("draft x");
        assertThat(draft.get("version").isNull()).isTrue();
        assertThat(draft.get("draftRevision").asInt()).isEqualTo(2);
        assertThat(run(appId, Map.of("inputs", Map.of("text", "x"), "version", 1)).get("outputs").get("greeting").asString())
                .isEqualTo("v1 x");

        Response missingVersion = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"), "version", 7));
        assertThat(missingVersion.status()).isEqualTo(404);
        Response badVersion = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"), "version", "newest"));
        assertThat(badVersion.status()).isEqualTo(422);
    }

    @Test
    void invalidInputsAre422WithFieldErrorsAndRecordNothing() {
        String appId = createApp(greeting());

        Response missing = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of()));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        JsonNode error = missing.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("inputs.text");
        assertThat(error.get("code").asString()).isEqualTo("required");

        Response tooLong = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x".repeat(51))));
        assertThat(tooLong.status()).isEqualTo(422);
        assertThat(tooLong.json().get("errors").get(0).get("code").asString()).isEqualTo("too_long");

        Response wrongType = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", Map.of("a", 1))));
        assertThat(wrongType.status()).isEqualTo(422);
        Response noBody = api.post("/api/v1/apps/" + appId + "/runs", "");
        assertThat(noBody.status()).isIn(400, 422);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM runs WHERE app_id = ?::uuid", Long.class, appId)).isZero();
        assertThat(api.get("/api/v1/runs?appId=" + appId).json().get("items")).isEmpty();
    }

    @Test
    void runsAreListedNewestFirstWithFiltersAndCursors() {
        String appId = createApp(greeting());
        String other = createApp(greeting());
        Instant before = Instant.now().minusSeconds(1);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(run(appId, Map.of("inputs", Map.of("text", "n" + i))).get("id").asString());
        }
        run(other, Map.of("inputs", Map.of("text", "other")));

        JsonNode page1 = api.get("/api/v1/runs?appId=" + appId + "&limit=2").json();
        assertThat(page1.get("items").valueStream().map(r -> r.get("id").asString()).toList())
                .containsExactly(ids.get(2), ids.get(1));
        String cursor = page1.get("nextCursor").asString();
        JsonNode page2 = api.get("/api/v1/runs?appId=" + appId + "&limit=2&cursor=" + cursor).json();
        assertThat(page2.get("items").valueStream().map(r -> r.get("id").asString()).toList()).containsExactly(ids.get(0));
        assertThat(page2.get("nextCursor").isNull()).isTrue();

        assertThat(api.get("/api/v1/runs?appId=" + appId + "&status=succeeded&source=api&since=" + before).json()
                .get("items")).hasSize(3);
        assertThat(api.get("/api/v1/runs?appId=" + appId + "&status=failed").json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/runs?appId=" + appId + "&source=twilio").json().get("items")).isEmpty();
        assertThat(api.get("/api/v1/runs?appId=" + appId + "&since=" + Instant.now().plusSeconds(60)).json().get("items")).isEmpty();
        JsonNode item = page1.get("items").get(0);
        assertThat(item.get("status").asString()).isEqualTo("succeeded");
        assertThat(item.has("trace")).isFalse();

        for (String bad : List.of("status=done", "source=email", "since=yesterday", "cursor=%21%21", "limit=0", "limit=201",
                "appId=nope")) {
            Response r = api.get("/api/v1/runs?" + bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void anAsyncRunAnswers202AndCanBePolledToTheEnd() {
        String appId = createApp(greeting());

        Response accepted = api.post("/api/v1/apps/" + appId + "/runs?mode=async", Map.of("inputs", Map.of("text", "Bo")));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String runId = accepted.json().get("id").asString();
        assertThat(accepted.header("Location")).isEqualTo("/api/v1/runs/" + runId);
        assertThat(accepted.json().get("status").asString()).isIn("queued", "running", "succeeded");
        JsonNode done = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.get("/api/v1/runs/" + runId).json(), r -> r.get("status").asString().equals("succeeded"));
        assertThat(done.get("outputs").get("greeting").asString()).isEqualTo("Hello, Bo!");
        assertThat(done.get("mode").asString()).isEqualTo("async");
        assertThat(done.get("trace")).hasSize(3);
        // its nodes are all pure (re-running them on resume is free), so none was written on its
        // own: their checkpoints came with the final write, in the trace
        assertThat(jdbc.queryForObject("SELECT count(*) FROM run_nodes WHERE run_id = ?::uuid", Long.class, runId))
                .isZero();
        var checkpoints = store.checkpoints(UUID.fromString(runId));
        assertThat(checkpoints).containsOnlyKeys("in", "say", "out");
        assertThat(checkpoints.get("say").outputs()).containsEntry("text", "Hello, Bo!");
    }

    @Test
    void anAsyncRunStartedInsideATransactionRunsOnlyIfItCommits() {
        String appId = createApp(greeting());
        UUID unpublished = UUID.fromString(createApp(greeting()));
        api.post("/api/v1/apps/" + appId + "/publish", "");
        UUID workspaceId = UUID.fromString(api.get("/api/v1/workspace").json().get("id").asString());
        RunStart start = new RunStart(workspaceId, UUID.fromString(appId),
                dev.switchboard.app.apps.RunTargets.VersionSelector.LATEST, false, Map.of("text", "tx"),
                Map.of("From", "+15550100"), RunSource.TWILIO, null);
        var transactions = new org.springframework.transaction.support.TransactionTemplate(transactionManager);
        // webhooks never run drafts
        assertThatThrownBy(() -> runService.runAsync(new RunStart(workspaceId, unpublished,
                dev.switchboard.app.apps.RunTargets.VersionSelector.LATEST, false, Map.of("text", "tx"), Map.of(),
                RunSource.TWILIO, null))).hasMessageContaining("No published app");

        String rolledBack = transactions.execute(status -> {
            String id = runService.runAsync(start).id().toString();
            status.setRollbackOnly();
            return id;
        });
        String committed = transactions.execute(status -> runService.runAsync(start).id().toString());

        JsonNode done = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> api.get("/api/v1/runs/" + committed).json(), r -> r.get("status").asString().equals("succeeded"));
        assertThat(done.get("source").asString()).isEqualTo("twilio");
        assertThat(done.get("trigger").get("From").asString()).isEqualTo("+15550100");
        assertThat(api.get("/api/v1/runs/" + rolledBack).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs?appId=" + appId + "&source=twilio").json().get("items")).hasSize(1);
    }

    @Test
    void anAsyncRunWithBadInputsIsRefusedBeforeItIsQueued() {
        String appId = createApp(greeting());
        Response refused = api.post("/api/v1/apps/" + appId + "/runs?mode=async", Map.of("inputs", Map.of()));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM runs WHERE app_id = ?::uuid", Long.class, appId)).isZero();
        assertThat(api.post("/api/v1/apps/" + appId + "/runs?mode=later", Map.of("inputs", Map.of("text", "x"))).status())
                .isEqualTo(400);
    }

    @Test
    void aStreamedRunSendsRunNodeAndDoneEvents() {
        String appId = createApp(greeting());

        List<String> lines = api.stream("/api/v1/apps/" + appId + "/runs?mode=stream", Map.of("inputs", Map.of("text", "Cy")));

        List<SseEvent> events = SseEvent.parse(lines);
        assertThat(events.getFirst().name()).isEqualTo("run");
        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(events).filteredOn(e -> e.name().equals("node")).isNotEmpty();
        JsonNode done = events.getLast().json();
        assertThat(done.get("status").asString()).isEqualTo("succeeded");
        assertThat(done.get("outputs").get("greeting").asString()).isEqualTo("Hello, Cy!");
        String runId = events.getFirst().json().get("id").asString();
        assertThat(done.get("id").asString()).isEqualTo(runId);
        assertThat(api.get("/api/v1/runs/" + runId).json().get("status").asString()).isEqualTo("succeeded");
    }

    @Test
    void cancellingAFinishedRunIs409AndAnUnknownOne404() {
        String appId = createApp(greeting());
        String runId = run(appId, Map.of("inputs", Map.of("text", "x"))).get("id").asString();
        Response conflict = api.post("/api/v1/runs/" + runId + "/cancel", "");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(api.post("/api/v1/runs/" + UUID.randomUUID() + "/cancel", "").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/runs/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void metricsCountRunsByStatusAndNodeLatencyByType() {
        String appId = createApp(greeting());
        run(appId, Map.of("inputs", Map.of("text", "m")));

        String metrics = api.withKey(null).get("/actuator/prometheus").body();

        assertThat(metrics).containsPattern("switchboard_runs_total\\{[^}]*status=\"succeeded\"[^}]*} [1-9]");
        assertThat(metrics).containsPattern("switchboard_node_duration_seconds_count\\{[^}]*type=\"transform\"");
        assertThat(metrics).contains("switchboard_runs_active");
    }
}
