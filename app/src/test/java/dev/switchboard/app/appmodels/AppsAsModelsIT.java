package dev.switchboard.app.appmodels;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.edge;
import static dev.switchboard.app.support.TestGraphs.input;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Published apps called as {@code model: "app/<id>"} through OpenAI's own Java SDK. */
class AppsAsModelsIT extends IntegrationTest {

    private final WireMockServer fake = FakeModelServer.server();
    private OpenAIClient client;

    @BeforeEach
    void sdk() {
        client = OpenAIOkHttpClient.builder().baseUrl(api.base() + "/v1").apiKey(ADMIN_KEY).maxRetries(0).build();
    }

    private String publishedApp(Map<String, Object> graph) {
        String id = draftApp(graph);
        Response published = api.post("/api/v1/apps/" + id + "/publish", Map.of());
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        return id;
    }

    private String draftApp(Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", app("as-model-" + UUID.randomUUID(), graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private static ChatCompletionCreateParams conversation(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("You are a greeter.")
                .addUserMessage("Hi, I am Bo").addAssistantMessage("Hello Bo!").addUserMessage("Ada").build();
    }

    @Test
    void aPublishedAppAnswersAsAModelWithItsAnswerOutput() {
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("appm-chat")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1,"model":"appm-chat",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the app"},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}""")));
        String appId = publishedApp(TestGraphs.chat("fake/appm-chat", Map.of()));

        ChatCompletion completion = client.chat().completions().create(conversation("app/" + appId));

        assertThat(completion.choices().getFirst().message().content()).contains("Hello from the app");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("app/" + appId);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(16);
        // the last user message is the app's text input
        fake.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("appm-chat")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Say: Ada"))));
        // and the call is an ordinary run of version 1, with the conversation as trigger data
        JsonNode run = api.get("/api/v1/runs?appId=" + appId).json().get("items").get(0);
        JsonNode full = api.get("/api/v1/runs/" + run.get("id").asString()).json();
        assertThat(full.get("version").asInt()).isEqualTo(1);
        assertThat(full.get("inputs").get("text").asString()).isEqualTo("Ada");
        assertThat(full.get("trigger").get("messages")).hasSize(4);
    }

    @Test
    void streamingSendsTheAiNodesTokensAsChatChunks() {
        StringBuilder sse = new StringBuilder();
        for (String piece : List.of("Hel", "lo ", "Ada")) {
            sse.append("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"appm-stream\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece).append("\"},\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"appm-stream\","
                + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8}}\n\ndata: [DONE]\n\n");
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("appm-stream")))
                .willReturn(aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse.toString())));
        String appId = publishedApp(TestGraphs.chat("fake/appm-stream", Map.of()));

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(conversation("app/" + appId))) {
            stream.stream().forEach(chunks::add);
        }

        List<String> pieces = new ArrayList<>();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().filter(t -> !t.isEmpty()).ifPresent(pieces::add)));
        assertThat(pieces).containsExactly("Hel", "lo ", "Ada");
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        assertThat(chunks.getLast().choices().getFirst().finishReason())
                .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    }

    @Test
    void anAnswerThatIsNoModelTextStreamsInOnePieceWhenTheRunEnds() {
        String appId = publishedApp(TestGraphs.greeting());

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(conversation("app/" + appId))) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello, Ada!");
        ChatCompletion plain = client.chat().completions().create(conversation("app/" + appId));
        assertThat(plain.choices().getFirst().message().content()).contains("Hello, Ada!");
    }

    @Test
    void aBlockedRunAnswersWithItsMessageAndContentFilter() {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(input(),
                        Map.of("id", "guard", "type", "policy.blocklist", "config", Map.of("text", "{{in.text}}",
                                "terms", List.of("scam"), "action", "block", "message", "I can't help with that.")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{guard.text}}")))),
                "edges", List.of(edge("in", "guard"), edge("guard", "out")));
        String appId = publishedApp(graph);

        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("app/" + appId).addUserMessage("write me a scam").build());

        assertThat(completion.choices().getFirst().message().content()).contains("I can't help with that.");
        assertThat(completion.choices().getFirst().finishReason())
                .isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
    }

    @Test
    void draftOnlyAndOtherWorkspacesAppsAreNotModels() {
        String draft = draftApp(TestGraphs.greeting());
        String published = publishedApp(TestGraphs.greeting());
        Response ws = api.post("/api/v1/workspaces", Map.of("name", "models-" + UUID.randomUUID()));
        OpenAIClient stranger = OpenAIOkHttpClient.builder().baseUrl(api.base() + "/v1")
                .apiKey(ws.json().get("adminKey").get("secret").asString()).maxRetries(0).build();

        assertThatThrownBy(() -> client.chat().completions().create(conversation("app/" + draft)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("not a published app");
        assertThatThrownBy(() -> stranger.chat().completions().create(conversation("app/" + published)))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.chat().completions().create(conversation("app/not-an-id")))
                .isInstanceOf(NotFoundException.class);
        Response raw = api.post("/v1/chat/completions", Map.of("model", "app/" + draft,
                "messages", List.of(Map.of("role", "user", "content", "x"))));
        assertThat(raw.status()).isEqualTo(404);
        assertThat(raw.json().get("error").get("code").asString()).isEqualTo("model_not_found");

        List<String> mine = client.models().list().data().stream().map(Model::id).toList();
        assertThat(mine).contains("app/" + published).doesNotContain("app/" + draft);
        assertThat(stranger.models().list().data().stream().map(Model::id)).doesNotContain("app/" + published);
        assertThat(api.get("/v1/models/app/" + published).json().get("id").asString()).isEqualTo("app/" + published);
        assertThat(api.get("/v1/models/app/" + draft).status()).isEqualTo(404);
        // the SDK sends the id percent-encoded: /v1/models/app%2F<id>
        assertThat(client.models().retrieve("app/" + published).id()).isEqualTo("app/" + published);
        assertThatThrownBy(() -> client.models().retrieve("app/" + draft)).isInstanceOf(NotFoundException.class);
    }
}
