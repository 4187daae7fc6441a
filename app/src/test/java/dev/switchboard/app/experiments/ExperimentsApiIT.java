package dev.switchboard.app.experiments;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.edge;
import static dev.switchboard.app.support.TestGraphs.input;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Experiments over two OpenAI-compatible fakes (two WireMock servers on loopback, providers fake and second). */
class ExperimentsApiIT extends IntegrationTest {

    private static void stubCompletion(WireMockServer server, String model, String text, int in, int out) {
        server.stubFor(post(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"cmpl-1","object":"text_completion","created":1,"model":"%s",
                         "choices":[{"index":0,"text":"%s","finish_reason":"stop"}],
                         "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                        .formatted(model, text, in, out, in + out))));
    }

    private static void stubChat(WireMockServer server, String model, String text) {
        server.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1,"model":"%s",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":11,"completion_tokens":3,"total_tokens":14}}""".formatted(model, text))));
    }

    @Test
    void anExperimentOverTwoProvidersReportsEveryVariantAndAFailureDoesNotSinkTheOthers() {
        stubCompletion(FakeModelServer.server(), "exp-alpha", "Alpha says hi", 5, 3);
        stubCompletion(FakeModelServer.second(), "exp-beta", "Beta says hello there", 5, 4);
        FakeModelServer.second().stubFor(post(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("exp-broken")))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\": {\"message\": \"model exp-broken does not exist\", \"type\": \"invalid_request_error\"}}")));

        Response r = api.post("/api/v1/experiments", Map.of("name", "greeting shoot-out", "prompt", "Greet Ada warmly.",
                "models", List.of("fake/exp-alpha", "second/exp-beta", "second/exp-broken"),
                "parameterSets", List.of(Map.of("temperature", 0, "maxTokens", 20), Map.of("temperature", 1.2))));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode e = r.json();
        assertThat(r.header("Location")).isEqualTo("/api/v1/experiments/" + e.get("id").asString());
        assertThat(e.get("prompt").get("prompt").asString()).isEqualTo("Greet Ada warmly.");
        JsonNode variants = e.get("variants");
        assertThat(variants).hasSize(6);
        List<String> lines = new ArrayList<>();
        variants.forEach(v -> lines.add(v.get("model").get(0).asString() + " " + v.get("parameters").get("temperature")
                .asDouble() + " " + v.get("status").asString()));
        assertThat(lines).containsExactly("fake/exp-alpha 0.0 succeeded", "fake/exp-alpha 1.2 succeeded",
                "second/exp-beta 0.0 succeeded", "second/exp-beta 1.2 succeeded", "second/exp-broken 0.0 failed",
                "second/exp-broken 1.2 failed");
        JsonNode alpha = variants.get(0);
        assertThat(alpha.get("output").asString()).isEqualTo("Alpha says hi");
        assertThat(alpha.get("parameters").get("maxTokens").asInt()).isEqualTo(20);
        assertThat(alpha.get("usage").get("totalTokens").asInt()).isEqualTo(8);
        assertThat(alpha.get("latencyMs").asDouble()).isPositive();
        assertThat(alpha.get("answeredBy").asString()).isEqualTo("fake/exp-alpha");
        assertThat(variants.get(2).get("output").asString()).isEqualTo("Beta says hello there");
        assertThat(variants.get(4).get("error").get("message").asString()).contains("exp-broken");
        assertThat(variants.get(4).has("output")).isFalse();
        FakeModelServer.second().verify(postRequestedFor(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("exp-beta")))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("1.2"))));

        // stored and listed
        JsonNode again = api.get("/api/v1/experiments/" + e.get("id").asString()).json();
        assertThat(again.get("variants")).hasSize(6);
        assertThat(again.get("variants").get(3).get("output").asString()).isEqualTo("Beta says hello there");
        JsonNode listed = api.get("/api/v1/experiments?limit=5").json().get("items").get(0);
        assertThat(listed.get("id").asString()).isEqualTo(e.get("id").asString());
        assertThat(listed.get("models")).extracting(JsonNode::asString)
                .containsExactly("fake/exp-alpha", "second/exp-beta", "second/exp-broken");
        assertThat(listed.get("succeeded").asInt()).isEqualTo(4);
    }

    @Test
    void anAiNodeOfAnAppIsRenderedFromInputsAndTriedOnOtherModels() {
        stubChat(FakeModelServer.server(), "node-model", "as configured");
        stubChat(FakeModelServer.second(), "other-model", "from the other provider");
        Map<String, Object> graph = Map.of(
                "nodes", List.of(input(),
                        Map.of("id", "ask", "type", "transform", "config", Map.of("template", "Hello, {{in.text}}!")),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", "fake/node-model", "temperature", 0.3,
                                "maxTokens", 40, "messages", List.of(Map.of("role", "system", "content", "Be brief."),
                                        Map.of("role", "user", "content", "Answer: {{ask.text}}")))),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{ai.text}}")))),
                "edges", List.of(edge("in", "ask"), edge("ask", "ai"), edge("ai", "out")));
        Response created = api.post("/api/v1/apps", app("exp-" + UUID.randomUUID(), graph));
        String appId = created.json().get("id").asString();

        Response r = api.post("/api/v1/experiments", Map.of("appId", appId, "nodeId", "ai", "inputs", Map.of("text", "Ada"),
                "variants", List.of(Map.of("model", "fake/node-model"),
                        Map.of("model", "second/other-model", "temperature", 1))));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode e = r.json();
        JsonNode messages = e.get("prompt").get("messages");
        assertThat(messages.get(1).get("content").asString()).isEqualTo("Answer: Hello, Ada!");
        assertThat(e.get("prompt").get("source").get("version").asString()).isEqualTo("draft");
        assertThat(e.get("variants").get(0).get("output").asString()).isEqualTo("as configured");
        assertThat(e.get("variants").get(0).get("parameters").get("temperature").asDouble()).isEqualTo(0.3);
        assertThat(e.get("variants").get(1).get("output").asString()).isEqualTo("from the other provider");
        assertThat(e.get("variants").get(1).get("parameters").get("temperature").asDouble()).isEqualTo(1.0);
        assertThat(e.get("variants").get(1).get("parameters").get("maxTokens").asInt()).isEqualTo(40);
        FakeModelServer.second().verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[1].content", containing("Answer: Hello, Ada!"))));

        // upstream values given replace the nodes before it
        Response given = api.post("/api/v1/experiments", Map.of("appId", appId, "nodeId", "ai", "inputs", Map.of("text", "x"),
                "upstream", Map.of("ask", Map.of("text", "a given question"))));
        assertThat(given.status()).as(given.body()).isEqualTo(201);
        assertThat(given.json().get("prompt").get("messages").get(1).get("content").asString())
                .isEqualTo("Answer: a given question");
        assertThat(given.json().get("variants")).singleElement()
                .satisfies(v -> assertThat(v.get("model").get(0).asString()).isEqualTo("fake/node-model"));
        assertThat(api.get("/api/v1/experiments?appId=" + appId).json().get("items")).hasSize(2);
    }

    @Test
    void badExperimentsAre422WithEveryProblem() {
        Response r = api.post("/api/v1/experiments", Map.of("prompt", "hi",
                "variants", List.of(Map.of("model", "no-slash", "temperature", 5), Map.of("model", "fake/x", "topp", 1))));

        assertThat(r.status()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(p -> fields.add(p.get("field").asString()));
        assertThat(fields).containsExactly("variants[0].model", "variants[0].temperature", "variants[1].topp");

        Response none = api.post("/api/v1/experiments", Map.of("prompt", "hi"));
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.json().get("errors").get(0).get("field").asString()).isEqualTo("models");

        Response created = api.post("/api/v1/apps", app("exp-" + UUID.randomUUID(), dev.switchboard.app.support.TestGraphs.greeting()));
        String appId = created.json().get("id").asString();
        Response notAi = api.post("/api/v1/experiments", Map.of("appId", appId, "nodeId", "say", "inputs", Map.of("text", "x"),
                "models", List.of("fake/x")));
        assertThat(notAi.status()).isEqualTo(422);
        assertThat(notAi.json().get("errors").get(0).get("message").asString()).contains("transform node");
        assertThat(api.post("/api/v1/experiments", Map.of("appId", UUID.randomUUID(), "nodeId", "ai",
                "models", List.of("fake/x"))).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/experiments/" + UUID.randomUUID()).status()).isEqualTo(404);
    }
}
