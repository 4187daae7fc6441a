package dev.switchboard.app.runs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Runs that take a while: visible while they run, cancellable, bounded by timeouts. */
class SlowRunsIT extends IntegrationTest {

    private void stubSlowModel(String model, int delayMillis) {
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withFixedDelay(delayMillis)
                        .withBody("""
                                {"id":"c","object":"chat.completion","created":1,"model":"%s",
                                 "choices":[{"index":0,"message":{"role":"assistant","content":"slow answer"},"finish_reason":"stop"}],
                                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""".formatted(model))));
    }

    private String createApp(Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", app("slow-" + UUID.randomUUID(), graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void aSlowSyncRunIsVisibleAsRunningWhileItRunsThenRecordedOnce() {
        stubSlowModel("gpt-slow", 1500);
        String appId = createApp(TestGraphs.chat("fake/gpt-slow", Map.of()));

        CompletableFuture<Response> pending = CompletableFuture.supplyAsync(
                () -> api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))));

        JsonNode running = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25))
                .until(() -> api.get("/api/v1/runs?appId=" + appId).json().get("items"), items -> !items.isEmpty());
        assertThat(running.get(0).get("status").asString()).isEqualTo("running");
        String runId = running.get(0).get("id").asString();
        JsonNode live = api.get("/api/v1/runs/" + runId).json();
        assertThat(live.get("status").asString()).isEqualTo("running");
        assertThat(live.get("trace").get(0).get("nodeId").asString()).isEqualTo("in");

        Response done = pending.join();
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.json().get("id").asString()).isEqualTo(runId);
        assertThat(done.json().get("outputs").get("answer").asString()).isEqualTo("slow answer");
        JsonNode stored = api.get("/api/v1/runs/" + runId).json();
        assertThat(stored.get("status").asString()).isEqualTo("succeeded");
        assertThat(stored.get("trace")).hasSize(3);
        assertThat(api.get("/api/v1/runs?appId=" + appId).json().get("items")).hasSize(1);
    }

    @Test
    void cancellingARunningAsyncRunEndsItCancelledWithItsTrace() {
        stubSlowModel("gpt-endless", 20_000);
        String appId = createApp(TestGraphs.chat("fake/gpt-endless", Map.of()));
        String runId = api.post("/api/v1/apps/" + appId + "/runs?mode=async", Map.of("inputs", Map.of("text", "x")))
                .json().get("id").asString();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25))
                .until(() -> api.get("/api/v1/runs/" + runId).json().get("status").asString(), "running"::equals);

        Response cancelled = api.post("/api/v1/runs/" + runId + "/cancel", "");

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        JsonNode stored = api.get("/api/v1/runs/" + runId).json();
        assertThat(stored.get("status").asString()).isEqualTo("cancelled");
        assertThat(stored.get("trace").get(1).get("nodeId").asString()).isEqualTo("ai");
        assertThat(stored.get("trace").get(1).get("status").asString()).isEqualTo("cancelled");
        assertThat(api.post("/api/v1/runs/" + runId + "/cancel", "").status()).isEqualTo(409);
    }

    @Test
    void aNodeTimeoutEndsTheRunFailedWithTheTimeoutInTheTrace() {
        stubSlowModel("gpt-too-slow", 5_000);
        String appId = createApp(TestGraphs.chat("fake/gpt-too-slow", Map.of("timeout", "300ms")));

        JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))).json();

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("failed");
        assertThat(run.get("trace").get(1).get("status").asString()).isEqualTo("failed");
        assertThat(run.get("trace").get(1).get("error").get("type").asString()).isEqualTo("timeout");
        assertThat(run.get("latencyMs").asDouble()).isLessThan(4_000);
    }

    @Test
    void aStreamRequestForAnUnknownAppIsAPlain404Problem() {
        Response r = api.send("/api/v1/apps/" + UUID.randomUUID() + "/runs?mode=stream", b -> b
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"text\": \"x\"}}")));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/problem+json");
    }
}
