package dev.switchboard.app.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.app.demo.DemoAppSeeder;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.SseEvent;
import dev.switchboard.app.support.TestGraphs;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code ai} node end to end: app → engine → gateway → an OpenAI-compatible server (WireMock
 * on loopback) and back into the run, its trace and its stream.
 */
class OpenAiCompatibleProviderIT extends IntegrationTest {

    private final WireMockServer fake = FakeModelServer.server();

    private static String completion(String model, String text, int in, int out) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(model, text, in, out, in + out);
    }

    /** A legacy completions answer (an OpenAI-compatible server gets prompt-only requests there). */
    private static String textCompletion(String model, String text, int in, int out) {
        return """
                {"id":"cmpl-1","object":"text_completion","created":1,"model":"%s",
                 "choices":[{"index":0,"text":"%s","finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(model, text, in, out, in + out);
    }

    private void stubCompletions(String model, int status, String body) {
        fake.stubFor(post(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private void stubChat(String model, int status, String body) {
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private String createApp(Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", app("ai-" + UUID.randomUUID(), graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void aPromptAiNodeCallsTheCompletionsEndpointAndRecordsTheAnswerAndTokens() {
        stubCompletions("gpt-ok", 200, textCompletion("gpt-ok", "Hello from the fake", 7, 4));
        String appId = createApp(TestGraphs.ai("fake/gpt-ok", Map.of()));

        Response r = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "Ada")));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode run = r.json();
        assertThat(run.get("status").asString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("answer").asString()).isEqualTo("Hello from the fake");
        JsonNode ai = run.get("trace").get(1);
        assertThat(ai.get("nodeId").asString()).isEqualTo("ai");
        assertThat(ai.get("usage").get("inputTokens").asInt()).isEqualTo(7);
        assertThat(ai.get("usage").get("outputTokens").asInt()).isEqualTo(4);
        assertThat(ai.get("usage").get("model").asString()).isEqualTo("fake/gpt-ok");
        assertThat(run.get("usage").get("totalTokens").asInt()).isEqualTo(11);
        fake.verify(postRequestedFor(urlPathEqualTo("/v1/completions"))
                .withHeader("Authorization", equalTo("Bearer sk-fake-provider-key"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-ok")))
                .withRequestBody(matchingJsonPath("$.prompt", equalTo("Say: Ada"))));
        assertThat(api.get("/api/v1/runs/" + run.get("id").asString()).json().get("trace").get(1).get("usage")
                .get("outputTokens").asInt()).isEqualTo(4);
        String metrics = api.withKey(null).get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("switchboard_model_tokens_total\\{[^}]*direction=\"output\"[^}]*model=\"fake/gpt-ok\"");
    }

    @Test
    void aChatAiNodeSendsItsMessagesToTheChatEndpoint() {
        stubChat("gpt-chat", 200, completion("gpt-chat", "Hi Bo", 12, 2));
        String appId = createApp(TestGraphs.chat("fake/gpt-chat", Map.of()));

        JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "Bo"))).json();

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("answer").asString()).isEqualTo("Hi Bo");
        fake.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-chat")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Say: Bo")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("32"))));
    }

    @Test
    void aFailingModelEndsTheRunFailedWithTheErrorInTheTrace() {
        stubChat("gpt-broken", 500, "{\"error\":{\"message\":\"upstream exploded\",\"type\":\"server_error\"}}");
        String appId = createApp(TestGraphs.chat("fake/gpt-broken", Map.of()));

        Response r = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x")));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode run = r.json();
        assertThat(run.get("status").asString()).isEqualTo("failed");
        assertThat(run.get("error").get("nodeId").asString()).isEqualTo("ai");
        JsonNode ai = run.get("trace").get(1);
        assertThat(ai.get("status").asString()).isEqualTo("failed");
        assertThat(ai.get("error").get("message").asString()).isNotBlank();
        JsonNode stored = api.get("/api/v1/runs/" + run.get("id").asString()).json();
        assertThat(stored.get("status").asString()).isEqualTo("failed");
        assertThat(stored.get("finishedAt").isNull()).isFalse();
    }

    @Test
    void aProviderAuthFailureNeverLeaksTheProviderKey() {
        stubChat("gpt-401", 401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-fake-provider-key\",\"type\":\"invalid_request_error\"}}");
        String appId = createApp(TestGraphs.chat("fake/gpt-401", Map.of()));

        Response r = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x")));

        assertThat(r.json().get("status").asString()).isEqualTo("failed");
        assertThat(r.body()).doesNotContain("sk-fake-provider-key");
        assertThat(api.get("/api/v1/runs/" + r.json().get("id").asString()).body()).doesNotContain("sk-fake-provider-key");
    }

    @Test
    void onErrorDefaultRecoversTheNodeAndTheRunSucceeds() {
        stubChat("gpt-down", 503, "{\"error\":{\"message\":\"overloaded\"}}");
        String appId = createApp(TestGraphs.chat("fake/gpt-down",
                Map.of("onError", "default", "default", Map.of("text", "no answer today"))));

        JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))).json();

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("answer").asString()).isEqualTo("no answer today");
        assertThat(run.get("trace").get(1).get("status").asString()).isEqualTo("recovered");
        assertThat(run.get("trace").get(1).get("error").get("message").asString()).isNotBlank();
    }

    @Test
    void aStreamedRunForwardsTheModelsTokensAsTheyArrive() {
        String chunk = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-stream\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";
        String sse = chunk.formatted("Hel") + chunk.formatted("lo")
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-stream\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-stream\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2,\"total_tokens\":7}}\n\n"
                + "data: [DONE]\n\n";
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-stream")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(sse)));
        String appId = createApp(TestGraphs.chat("fake/gpt-stream", Map.of()));

        List<String> lines = api.stream("/api/v1/apps/" + appId + "/runs?mode=stream", Map.of("inputs", Map.of("text", "x")));

        List<SseEvent> events = SseEvent.parse(lines);
        List<String> tokens = events.stream().filter(e -> e.name().equals("token"))
                .map(e -> e.json().get("text").asString()).toList();
        assertThat(tokens).containsExactly("Hel", "lo");
        JsonNode done = events.getLast().json();
        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(done.get("outputs").get("answer").asString()).isEqualTo("Hello");
        assertThat(done.get("trace").get(1).get("usage").get("outputTokens").asInt()).isEqualTo(2);
        fake.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-stream")))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))));
    }

    @Test
    void theDemoAppIsSeededPublishedAndRunsAgainstTheConfiguredModel() {
        stubCompletions("demo-model", 200, textCompletion("demo-model",
                "sentiment: positive\\nexplanation: The reviewer praises both the food and the service.", 40, 15));
        JsonNode demo = api.get("/api/v1/apps?size=100").json().get("items").valueStream()
                .filter(a -> a.get("name").asString().equals(DemoAppSeeder.NAME)).findFirst().orElseThrow();
        assertThat(demo.get("latestVersion").asInt()).isEqualTo(1);

        JsonNode run = api.post("/api/v1/apps/" + demo.get("id").asString() + "/runs",
                Map.of("inputs", Map.of("text", DemoAppSeeder.SAMPLE))).json();

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("answer").asString()).startsWith("sentiment: positive");
        fake.verify(postRequestedFor(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("demo-model")))
                .withRequestBody(containing("The food was delicious")));
    }
}
