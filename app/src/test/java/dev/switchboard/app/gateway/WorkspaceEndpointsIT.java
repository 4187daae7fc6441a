package dev.switchboard.app.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.TestGraphs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A workspace's own OpenAI-compatible endpoint: stored with its key sealed, used by that workspace only. */
class WorkspaceEndpointsIT extends GatewayIntegrationTest {

    private static final String ENDPOINT_KEY = "sk-ws-endpoint-41f0c9a7";

    private final WireMockServer fake = FakeModelServer.server();

    private static Map<String, Object> chatBody(Object model) {
        return Map.of(model instanceof List<?> ? "models" : "model", model,
                "messages", List.of(Map.of("role", "user", "content", "hello")));
    }

    @Test
    void aWorkspacesOwnEndpointServesItsCallsOnly() {
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer " + ENDPOINT_KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("llama-3")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(AiNodeResilienceIT.completion("llama-3", "from my own server"))));
        Api ws = newWorkspace();

        Response put = ws.put("/api/v1/providers/myvllm", Map.of("baseUrl", FakeModelServer.baseUrl(),
                "apiKey", ENDPOINT_KEY, "models", List.of("llama-3")));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).doesNotContain(ENDPOINT_KEY);
        assertThat(put.json().get("scope").asString()).isEqualTo("workspace");
        assertThat(put.json().get("credentials").get("apiKeyHint").asString()).isEqualTo("****c9a7");

        Response answer = ws.post("/v1/chat/completions", chatBody("myvllm/llama-3"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("choices").get(0).get("message").get("content").asString()).isEqualTo("from my own server");
        assertThat(answer.json().get("model").asString()).isEqualTo("myvllm/llama-3");
        assertThat(ws.get("/v1/models").body()).contains("\"myvllm/llama-3\"").contains("\"prime/*\"");
        assertThat(api.get("/v1/models").body()).doesNotContain("myvllm");
        assertThat(api.post("/v1/chat/completions", chatBody("myvllm/llama-3")).status()).isEqualTo(404);

        String appId = createApp(ws, TestGraphs.chat("myvllm/llama-3", Map.of()));
        JsonNode run = ws.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))).json();
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("trace").get(1).get("usage").get("model").asString()).isEqualTo("myvllm/llama-3");
        fake.verify(2, postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + ENDPOINT_KEY)));

        Response mixed = ws.post("/v1/chat/completions", chatBody(List.of("myvllm/llama-3", "prime/x")));
        assertThat(mixed.status()).isEqualTo(400);
        assertThat(mixed.json().get("error").get("param").asString()).isEqualTo("model");

        assertThat(ws.delete("/api/v1/providers/myvllm").status()).isEqualTo(204);
        assertThat(ws.post("/v1/chat/completions", chatBody("myvllm/llama-3")).status()).isEqualTo(404);
        assertThat(ws.delete("/api/v1/providers/myvllm").status()).isEqualTo(404);
    }

    @Test
    void endpointNamesAndUrlsAreValidated() {
        Api ws = newWorkspace();

        Response taken = ws.put("/api/v1/providers/prime", Map.of("baseUrl", "https://llm.example.com/v1"));
        Response badName = ws.put("/api/v1/providers/My%20Server", Map.of("baseUrl", "https://llm.example.com/v1"));
        Response badScheme = ws.put("/api/v1/providers/mine", Map.of("baseUrl", "file:///etc/passwd"));
        Response noUrl = ws.put("/api/v1/providers/mine", Map.of("apiKey", "sk-x"));

        assertThat(taken.status()).isEqualTo(409);
        assertThat(badName.status()).isEqualTo(422);
        assertThat(badScheme.status()).isEqualTo(422);
        assertThat(badScheme.body()).contains("http or https");
        assertThat(noUrl.status()).isEqualTo(422);
    }
}
