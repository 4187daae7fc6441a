package dev.switchboard.app.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.SseEvent;
import dev.switchboard.app.support.TestGraphs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The in-process GPT-J provider behind the app: the OpenAI-compatible API and an {@code ai} node
 * answer with exactly HF transformers' greedy continuation of the fixture model.
 */
class LocalModelIT extends GatewayIntegrationTest {

    private static JsonNode reference() throws Exception {
        return Api.JSON.readTree(Files.readString(Path.of(LOCAL_FIXTURES, "small-random-gptj-fp16", "reference.json")))
                .get("cases").get(0);
    }

    @Test
    void completionsAndStreamsFromTheLocalModelMatchTheReference() throws Exception {
        JsonNode ref = reference();
        Map<String, Object> body = Map.of("model", "local/small", "prompt", ref.get("prompt").asString(),
                "max_tokens", 20, "temperature", 0);

        Response plain = api.post("/v1/completions", body);
        List<SseEvent> events = SseEvent.parse(api.stream("/v1/completions", new java.util.HashMap<>(Map.of(
                "model", "local/small", "prompt", ref.get("prompt").asString(), "max_tokens", 20, "temperature", 0,
                "stream", true))));

        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json().get("choices").get(0).get("text").asString()).isEqualTo(ref.get("greedy_20_text").asString());
        assertThat(plain.json().get("usage").get("completion_tokens").asInt()).isEqualTo(20);
        assertThat(plain.json().get("model").asString()).isEqualTo("local/small");
        assertThat(plain.header("x-switchboard-cost-usd")).isEqualTo("0");
        String streamed = events.stream().filter(e -> !e.data().equals("[DONE]"))
                .map(e -> e.json().get("choices")).filter(c -> !c.isEmpty())
                .map(c -> c.get(0).get("text").asString()).collect(Collectors.joining());
        assertThat(streamed).isEqualTo(ref.get("greedy_20_text").asString());
        assertThat(events.getLast().data()).isEqualTo("[DONE]");
        assertThat(api.get("/v1/models").body()).contains("\"local/small\"");
    }

    @Test
    void anAiNodeRunsOnTheLocalModel() throws Exception {
        JsonNode ref = reference();
        Map<String, Object> graph = TestGraphs.ai("local/small", Map.of("prompt", "{{in.text}}", "maxTokens", 20));
        String appId = createApp(api, graph);

        JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", ref.get("prompt").asString()))).json();

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("answer").asString()).isEqualTo(ref.get("greedy_20_text").asString());
        JsonNode usage = run.get("trace").get(1).get("usage");
        assertThat(usage.get("model").asString()).isEqualTo("local/small");
        assertThat(usage.get("outputTokens").asInt()).isEqualTo(20);
        assertThat(usage.get("cost").decimalValue()).isEqualByComparingTo("0");
    }
}
