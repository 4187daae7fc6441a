package dev.switchboard.app.review;

import static dev.switchboard.app.review.ReviewGraphs.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The review API against the whole app and a real PostgreSQL. */
class ReviewsApiIT extends IntegrationTest {

    @Autowired
    ReviewSweeper sweeper;

    @Autowired
    JdbcTemplate jdbc;

    private String createApp(String name, Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", app(name, graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** Runs the app (sync) and returns the run, which waits for review. */
    private JsonNode runWaiting(String appId, String text) {
        Response run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", text)));
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().get("status").asString()).isEqualTo("waiting_review");
        return run.json();
    }

    private JsonNode openTaskOf(String appId, String runId) {
        JsonNode page = api.get("/api/v1/reviews?status=open&appId=" + appId).json();
        return page.get("items").valueStream().filter(t -> t.get("runId").asString().equals(runId)).findFirst()
                .orElseThrow(() -> new AssertionError("no open task for run " + runId + " in " + page));
    }

    private JsonNode pollRun(String runId, Predicate<JsonNode> until) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        JsonNode run;
        do {
            run = api.get("/api/v1/runs/" + runId).json();
            if (until.test(run)) {
                return run;
            }
            Thread.onSpinWait();
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("run did not get there in time: " + run);
    }

    private static boolean isFinal(JsonNode run) {
        return List.of("succeeded", "failed", "blocked", "rejected", "timed_out", "cancelled")
                .contains(run.get("status").asString());
    }

    @Test
    void aReviewNodeOpensATaskAndEditAndApproveFinishesTheRun() {
        String appId = createApp("reviewed", ReviewGraphs.reviewed(Map.of()));
        JsonNode waiting = runWaiting(appId, "thanks a lot");
        String runId = waiting.get("id").asString();
        JsonNode task = openTaskOf(appId, runId);
        assertThat(task.get("nodeId").asString()).isEqualTo("rev");
        assertThat(task.get("source").asString()).isEqualTo("review");
        assertThat(task.get("content").asString()).isEqualTo("Draft: thanks a lot");
        assertThat(task.get("instructions").asString()).isEqualTo("Check the tone.");
        assertThat(Duration.between(Instant.parse(task.get("createdAt").asString()), Instant.parse(task.get("dueAt").asString())))
                .isEqualTo(Duration.ofHours(2));

        Response approved = api.post("/api/v1/reviews/" + task.get("id").asString() + "/approve",
                Map.of("text", "Thank you very much!"));
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(approved.json().get("status").asString()).isEqualTo("edited");
        assertThat(approved.json().get("decision").get("text").asString()).isEqualTo("Thank you very much!");
        JsonNode history = approved.json().get("history");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("actor").asString()).isEqualTo("api_key");
        assertThat(history.get(0).get("before").asString()).isEqualTo("Draft: thanks a lot");
        assertThat(history.get(0).get("after").asString()).isEqualTo("Thank you very much!");
        assertThat(history.get(0).get("apiKeyId").isNull()).isFalse();

        JsonNode done = pollRun(runId, ReviewsApiIT::isFinal);
        assertThat(done.get("status").asString()).isEqualTo("succeeded");
        assertThat(done.get("outputs").get("answer").asString()).isEqualTo("Thank you very much!");
        assertThat(done.get("outputs").get("decision").asString()).isEqualTo("edited");
        assertThat(done.get("trace").valueStream().map(n -> n.get("nodeId").asString() + ":" + n.get("status").asString()))
                .containsExactly("in:succeeded", "rev:succeeded", "out:succeeded");
    }

    @Test
    void decidingTwiceIsAConflictAndAnotherWorkspaceSeesNothing() {
        String appId = createApp("twice", ReviewGraphs.reviewed(Map.of()));
        String runId = runWaiting(appId, "hello").get("id").asString();
        String taskId = openTaskOf(appId, runId).get("id").asString();

        Response ws = api.post("/api/v1/workspaces", Map.of("name", "other-reviewers"));
        var other = api.withKey(ws.json().get("adminKey").get("secret").asString());
        assertThat(other.get("/api/v1/reviews/" + taskId).status()).isEqualTo(404);
        assertThat(other.post("/api/v1/reviews/" + taskId + "/approve", "{}").status()).isEqualTo(404);
        assertThat(other.post("/api/v1/reviews/" + taskId + "/reject", Map.of("reason", "no")).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/reviews").json().get("items")).isEmpty();

        assertThat(api.post("/api/v1/reviews/" + taskId + "/approve", "").status()).isEqualTo(200);
        Response again = api.post("/api/v1/reviews/" + taskId + "/approve", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(api.post("/api/v1/reviews/" + taskId + "/reject", Map.of("reason", "late")).status()).isEqualTo(409);
        JsonNode done = pollRun(runId, ReviewsApiIT::isFinal);
        assertThat(done.get("outputs").get("answer").asString()).isEqualTo("Draft: hello");
        assertThat(done.get("outputs").get("decision").asString()).isEqualTo("approved");
    }

    @Test
    void rejectingEndsTheRunRejectedWithTheReason() {
        String appId = createApp("rejected", ReviewGraphs.reviewed(Map.of()));
        String runId = runWaiting(appId, "you fool").get("id").asString();
        String taskId = openTaskOf(appId, runId).get("id").asString();

        assertThat(api.post("/api/v1/reviews/" + taskId + "/reject", Map.of()).status()).isEqualTo(422);
        Response rejected = api.post("/api/v1/reviews/" + taskId + "/reject", Map.of("reason", "Rude to the customer"));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().get("status").asString()).isEqualTo("rejected");
        JsonNode run = api.get("/api/v1/runs/" + runId).json();
        assertThat(run.get("status").asString()).isEqualTo("rejected");
        assertThat(run.get("error").get("message").asString()).isEqualTo("Rejected in review: Rude to the customer");
        assertThat(api.get("/api/v1/reviews?status=rejected&appId=" + appId).json().get("items")).hasSize(1);
    }

    @Test
    void concurrentDecidersCompleteTheRunExactlyOnce() throws Exception {
        String appId = createApp("race", ReviewGraphs.reviewed(Map.of()));
        String runId = runWaiting(appId, "race").get("id").asString();
        String taskId = openTaskOf(appId, runId).get("id").asString();

        int deciders = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < deciders; i++) {
                int n = i;
                Callable<Integer> decide = () -> {
                    go.await();
                    return n % 2 == 0
                            ? api.post("/api/v1/reviews/" + taskId + "/approve", Map.of("text", "winner " + n)).status()
                            : api.post("/api/v1/reviews/" + taskId + "/reject", Map.of("reason", "loser " + n)).status();
                };
                results.add(pool.submit(decide));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(deciders - 1);
        }
        JsonNode run = pollRun(runId, ReviewsApiIT::isFinal);
        assertThat(run.get("status").asString()).isIn("succeeded", "rejected");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM review_decisions d JOIN review_tasks t ON t.id = d.task_id "
                + "WHERE t.run_id = ?::uuid", Long.class, runId)).isEqualTo(1);
        if (run.get("status").asString().equals("succeeded")) {
            assertThat(run.get("trace").valueStream().filter(n -> n.get("nodeId").asString().equals("out")).count()).isEqualTo(1);
        }
    }

    @Test
    void aTimeoutTakesTheNodesOnTimeoutDecision() {
        String approveApp = createApp("timeout-approve", ReviewGraphs.reviewed(Map.of("timeout", "1s", "onTimeout", "approve")));
        String rejectApp = createApp("timeout-reject", ReviewGraphs.reviewed(Map.of("timeout", "1s", "onTimeout", "reject")));
        String approvedRun = runWaiting(approveApp, "slow").get("id").asString();
        String rejectedRun = runWaiting(rejectApp, "slow").get("id").asString();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline) && (!isFinal(api.get("/api/v1/runs/" + approvedRun).json())
                || !isFinal(api.get("/api/v1/runs/" + rejectedRun).json()))) {
            sweeper.sweep();
        }
        JsonNode approved = pollRun(approvedRun, ReviewsApiIT::isFinal);
        assertThat(approved.get("status").asString()).isEqualTo("succeeded");
        assertThat(approved.get("outputs").get("answer").asString()).isEqualTo("Draft: slow");
        JsonNode rejected = api.get("/api/v1/runs/" + rejectedRun).json();
        assertThat(rejected.get("status").asString()).isEqualTo("rejected");
        assertThat(rejected.get("error").get("type").asString()).isEqualTo("review_timed_out");
        JsonNode task = api.get("/api/v1/reviews?appId=" + approveApp).json().get("items").get(0);
        assertThat(task.get("status").asString()).isEqualTo("timed_out");
        JsonNode audited = api.get("/api/v1/reviews/" + task.get("id").asString()).json().get("history").get(0);
        assertThat(audited.get("actor").asString()).isEqualTo("timeout");
    }

    @Test
    void aPiiPolicyWithActionReviewShowsItsFindingsToTheReviewer() {
        String appId = createApp("pii-review", ReviewGraphs.piiReviewed());
        String runId = runWaiting(appId, "mail me at amy@example.com").get("id").asString();
        JsonNode task = openTaskOf(appId, runId);
        assertThat(task.get("source").asString()).isEqualTo("policy.pii");
        assertThat(task.get("reason").asString()).isEqualTo("policy.pii found 1 match: email.");
        assertThat(task.get("flags").get(0).get("type").asString()).isEqualTo("email");
        assertThat(task.get("flags").get(0).get("start").asInt()).isEqualTo(11);

        api.post("/api/v1/reviews/" + task.get("id").asString() + "/approve", Map.of("text", "mail me at [removed]"));
        JsonNode done = pollRun(runId, ReviewsApiIT::isFinal);
        assertThat(done.get("outputs").get("answer").asString()).isEqualTo("mail me at [removed]");
    }

    @Test
    void aRunKeyMayReadReviewsButNotDecideThem() {
        String appId = createApp("roles", ReviewGraphs.reviewed(Map.of()));
        String runId = runWaiting(appId, "roles").get("id").asString();
        String taskId = openTaskOf(appId, runId).get("id").asString();
        var runner = api.withKey(api.post("/api/v1/keys", Map.of("name", "runner", "role", "run")).json().get("secret").asString());

        assertThat(runner.get("/api/v1/reviews/" + taskId).status()).isEqualTo(200);
        assertThat(runner.post("/api/v1/reviews/" + taskId + "/approve", "").status()).isEqualTo(403);
        assertThat(runner.post("/api/v1/reviews/" + taskId + "/reject", Map.of("reason", "no")).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/reviews/" + taskId).json().get("status").asString()).isEqualTo("open");
    }

    @Test
    void listingValidatesItsFilters() {
        assertThat(api.get("/api/v1/reviews?status=pending").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/reviews?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/reviews/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    }
}
