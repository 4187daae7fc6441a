package dev.switchboard.app.review;

import static dev.switchboard.app.review.ReviewGraphs.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.SwitchboardApplication;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A run waits for review while the app stops; after a start on the same data directory the
 * task is still open and approving it completes the run, once, with the PII the model never saw
 * restored (the vault key is kept in the database across restarts).
 */
class ReviewRestartIT {

    private static final String KEY = "review-restart-admin-key-0123456789";

    @TempDir
    Path dataDir;

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0", "--switchboard.data-dir=" + dataDir, "--switchboard.api-key=" + KEY,
                "--switchboard.instance-id=review-restart-it");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"), KEY);
    }

    /** input → pii (redact, restore) → review of the redacted text → restore → output. */
    private static Map<String, Object> graph() {
        return Map.of(
                "nodes", java.util.List.of(
                        dev.switchboard.app.support.TestGraphs.input(),
                        Map.of("id", "mask", "type", "policy.pii", "config", Map.of("text", "{{in.text}}", "restore", true)),
                        Map.of("id", "rev", "type", "review", "config", Map.of("text", "Reply to {{mask.text}}", "timeout", "1d")),
                        Map.of("id", "back", "type", "policy.restore", "config", Map.of("text", "{{rev.text}}", "from", "mask")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{back.text}}")))),
                "edges", java.util.List.of(Map.of("from", "in", "to", "mask"), Map.of("from", "mask", "to", "rev"),
                        Map.of("from", "rev", "to", "back"), Map.of("from", "back", "to", "out")));
    }

    @Test
    void aWaitingRunSurvivesARestartAndCompletesOnceWhenApproved() {
        String runId;
        String taskId;
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = api(first);
            Response created = api.post("/api/v1/apps", app("waits", graph()));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            String appId = created.json().get("id").asString();
            JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "bo@example.com"))).json();
            assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("waiting_review");
            runId = run.get("id").asString();
            JsonNode task = api.get("/api/v1/reviews?status=open&appId=" + appId).json().get("items").get(0);
            assertThat(task.get("content").asString()).isEqualTo("Reply to [EMAIL_1]");
            taskId = task.get("id").asString();
        }

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = api(second);
            assertThat(api.get("/api/v1/runs/" + runId).json().get("status").asString()).isEqualTo("waiting_review");
            assertThat(api.get("/api/v1/reviews/" + taskId).json().get("status").asString()).isEqualTo("open");

            Response approved = api.post("/api/v1/reviews/" + taskId + "/approve", "");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            assertThat(api.post("/api/v1/reviews/" + taskId + "/approve", "").status()).isEqualTo(409);

            JsonNode run = poll(api, runId);
            assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
            assertThat(run.get("outputs").get("answer").asString()).isEqualTo("Reply to bo@example.com");
            assertThat(run.get("trace").valueStream().map(n -> n.get("nodeId").asString()))
                    .containsExactly("in", "mask", "rev", "back", "out");
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM review_decisions d JOIN review_tasks t ON t.id = d.task_id "
                    + "WHERE t.run_id = ?::uuid", Long.class, runId)).isEqualTo(1);
            // what the redacting node produced, and the review task, hold no raw address
            JsonNode mask = run.get("trace").valueStream().filter(n -> n.get("nodeId").asString().equals("mask")).findFirst().orElseThrow();
            assertThat(mask.get("outputs").toString()).contains("[EMAIL_1]").doesNotContain("bo@example.com");
            assertThat(jdbc.queryForObject("SELECT content || proposed || flags::text FROM review_tasks WHERE id = ?::uuid",
                    String.class, taskId)).doesNotContain("bo@example.com");
        }
    }

    private static JsonNode poll(Api api, String runId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode run;
        do {
            run = api.get("/api/v1/runs/" + runId).json();
            if (!run.get("status").asString().equals("running") && !run.get("status").asString().equals("waiting_review")) {
                return run;
            }
            Thread.onSpinWait();
        } while (Instant.now().isBefore(deadline));
        return run;
    }
}
