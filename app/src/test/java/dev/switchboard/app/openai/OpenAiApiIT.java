package dev.switchboard.app.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.openai.FakeOpenAi.json;
import static dev.switchboard.app.openai.FakeOpenAi.sse;
import static dev.switchboard.app.openai.FakeOpenAi.stub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI-compatible API as OpenAI's own Java SDK sees it, against the app whose {@code fake}
 * provider is a WireMock server speaking OpenAI's wire format on loopback.
 */
class OpenAiApiIT extends IntegrationTest {

    private static final String PROVIDER_KEY = "sk-fake-provider-key";

    private final WireMockServer fake = FakeModelServer.server();
    private OpenAIClient client;

    @BeforeEach
    void sdk() {
        client = OpenAIOkHttpClient.builder().baseUrl(api.base() + "/v1").apiKey(ADMIN_KEY).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder chat(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Hi there")
                .maxCompletionTokens(16).temperature(0.0);
    }

    @Test
    void answersAChatCompletionWithUsage() {
        stub(fake, "/v1/chat/completions", "oa-chat", json(200, FakeOpenAi.chat("oa-chat", "Hello from upstream", 9, 3)));

        ChatCompletion completion = client.chat().completions().create(chat("fake/oa-chat").build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains("Hello from upstream");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.model()).isEqualTo("fake/oa-chat");
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(9);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(12);
        fake.verify(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + PROVIDER_KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("oa-chat")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Hi there"))));
    }

    @Test
    void streamsChatChunksWithAFinalUsageChunk() {
        stub(fake, "/v1/chat/completions", "oa-stream",
                sse(FakeOpenAi.chatStream("oa-stream", List.of("Hel", "lo", " world"), 5, 3, true)));
        ChatCompletionCreateParams params = chat("fake/oa-stream")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello world");
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(chunks.getFirst().id()));
        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().getFirst().finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk usage = chunks.getLast();
        assertThat(usage.choices()).isEmpty();
        assertThat(usage.usage().orElseThrow().completionTokens()).isEqualTo(3);
        assertThat(usage.usage().orElseThrow().promptTokens()).isEqualTo(5);
    }

    @Test
    void streamsInOpenAisExactWireFormat() {
        stub(fake, "/v1/chat/completions", "oa-wire", sse(FakeOpenAi.chatStream("oa-wire", List.of("a", "b"), 2, 2, true)));

        List<String> lines = api.stream("/v1/chat/completions", Map.of("model", "fake/oa-wire", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "x"))));

        List<String> nonEmpty = lines.stream().filter(l -> !l.isEmpty()).toList();
        assertThat(nonEmpty).allSatisfy(l -> assertThat(l).startsWith("data: "));
        assertThat(nonEmpty.getLast()).isEqualTo("data: [DONE]");
        assertThat(lines.stream().filter(l -> l.isEmpty()).count()).isEqualTo(nonEmpty.size()); // each event ends "\n\n"
        List<SseEvent> events = SseEvent.parse(lines);
        JsonNode first = events.getFirst().json();
        assertThat(first.get("object").asString()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("choices").get(0).get("delta").get("role").asString()).isEqualTo("assistant");
        JsonNode finish = events.get(events.size() - 2).json();
        assertThat(finish.get("choices").get(0).get("finish_reason").asString()).isEqualTo("stop");
        assertThat(finish.get("choices").get(0).get("delta").isEmpty()).isTrue();
        assertThat(finish.has("usage")).isFalse(); // include_usage not asked for
    }

    @Test
    void answersLegacyCompletionsPlainAndStreamed() {
        stub(fake, "/v1/completions", "oa-text", json(200, FakeOpenAi.text("oa-text", "once upon a time", 4, 4)));
        stub(fake, "/v1/completions", "oa-text-stream", sse(FakeOpenAi.textStream("oa-text-stream", List.of("once", " more"))));

        Completion completion = client.completions().create(CompletionCreateParams.builder().model("fake/oa-text")
                .prompt("Tell me").maxTokens(4).build());
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
                .model("fake/oa-text-stream").prompt("Again").maxTokens(4).build())) {
            stream.stream().forEach(c -> c.choices().forEach(choice -> streamed.append(choice.text())));
        }

        assertThat(completion.choices().getFirst().text()).isEqualTo("once upon a time");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(com.openai.models.completions.CompletionChoice.FinishReason.LENGTH);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(8);
        assertThat(streamed.toString()).isEqualTo("once more");
        fake.verify(postRequestedFor(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.prompt", equalTo("Tell me")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("4"))));
    }

    @Test
    void listsTheConfiguredModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();

        assertThat(ids).contains("fake/*");
        JsonNode one = api.get("/v1/models/fake/some-model").json();
        assertThat(one.get("id").asString()).isEqualTo("fake/some-model");
        assertThat(one.get("object").asString()).isEqualTo("model");
        assertThat(one.get("owned_by").asString()).isEqualTo("fake");
        assertThat(api.get("/v1/models/nobody/x").status()).isEqualTo(404);
    }

    @Test
    void anUnknownModelIs404NamingTheKnownModels() {
        NotFoundException e = catchThrowableOfType(NotFoundException.class,
                () -> client.chat().completions().create(chat("nobody/gpt").build()));

        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.code()).contains("model_not_found");
        assertThat(e.param()).contains("model");
        assertThat(e.getMessage()).contains("nobody/gpt").contains("fake/*");
        Response raw = api.post("/v1/chat/completions", Map.of("model", "nobody/gpt",
                "messages", List.of(Map.of("role", "user", "content", "x"))));
        assertThat(raw.status()).isEqualTo(404);
        assertThat(raw.contentType()).startsWith("application/problem+json");
        assertThat(raw.json().get("error").get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(raw.json().get("knownModels").toString()).contains("fake/*");
        assertThat(raw.json().get("title").asString()).isEqualTo("Unknown model");
        assertThat(raw.json().get("status").asInt()).isEqualTo(404);
    }

    @Test
    void invalidParametersAre400NamingTheParameter() {
        BadRequestException temperature = catchThrowableOfType(BadRequestException.class,
                () -> client.chat().completions().create(chat("fake/x").temperature(5.0).build()));
        BadRequestException n = catchThrowableOfType(BadRequestException.class,
                () -> client.chat().completions().create(chat("fake/x").n(2).build()));
        Response noMessages = api.post("/v1/chat/completions", Map.of("model", "fake/x"));
        Response badRole = api.post("/v1/chat/completions", Map.of("model", "fake/x",
                "messages", List.of(Map.of("role", "wizard", "content", "x"))));
        Response maxTokens = api.post("/v1/chat/completions", Map.of("model", "fake/x", "max_tokens", 0,
                "messages", List.of(Map.of("role", "user", "content", "x"))));
        Response notJson = api.post("/v1/chat/completions", "{\"model\": ");
        Response tools = api.post("/v1/chat/completions", Map.of("model", "fake/x", "tools", List.of(Map.of("type", "function")),
                "messages", List.of(Map.of("role", "user", "content", "x"))));

        assertThat(temperature.param()).contains("temperature");
        assertThat(n.param()).contains("n");
        assertThat(noMessages.status()).isEqualTo(400);
        assertThat(noMessages.json().get("error").get("param").asString()).isEqualTo("messages");
        assertThat(badRole.json().get("error").get("param").asString()).isEqualTo("messages[0].role");
        assertThat(maxTokens.status()).isEqualTo(400);
        assertThat(maxTokens.json().get("error").get("param").asString()).isEqualTo("max_tokens");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").get("message").asString()).contains("not valid JSON");
        assertThat(tools.json().get("error").get("param").asString()).isEqualTo("tools");
        fake.verify(0, postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("x"))));
    }

    @Test
    void aProviderAuthFailureIs502WithoutTheKey() {
        stub(fake, "/v1/chat/completions", "oa-401", json(401,
                "{\"error\":{\"message\":\"Incorrect API key provided: " + PROVIDER_KEY + "\",\"type\":\"invalid_request_error\"}}"));

        InternalServerException e = catchThrowableOfType(InternalServerException.class,
                () -> client.chat().completions().create(chat("fake/oa-401").build()));
        Response raw = api.post("/v1/chat/completions", Map.of("model", "fake/oa-401",
                "messages", List.of(Map.of("role", "user", "content", "x"))));

        assertThat(e.statusCode()).isEqualTo(502);
        assertThat(e.code()).contains("provider_auth_failed");
        assertThat(e.getMessage()).doesNotContain(PROVIDER_KEY);
        assertThat(raw.status()).isEqualTo(502);
        assertThat(raw.body()).doesNotContain(PROVIDER_KEY).doesNotContain("sk-fake");
        assertThat(raw.header("x-should-retry")).isEqualTo("false");
    }

    @Test
    void aStreamCutMidAnswerEndsWithAnErrorEventAndNoDone() {
        stub(fake, "/v1/chat/completions", "oa-cut", sse(FakeOpenAi.chatStream("oa-cut", List.of("Half", " an"), 0, 0, false)));

        List<String> received = new ArrayList<>();
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat("fake/oa-cut").build())) {
                stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(received::add)));
            }
        }).isInstanceOf(SseException.class).satisfies(t -> assertThat(((OpenAIServiceException) t).code()).contains("stream_interrupted"));
        List<String> lines = api.stream("/v1/chat/completions", Map.of("model", "fake/oa-cut", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "x"))));

        assertThat(String.join("", received)).isEqualTo("Half an");
        assertThat(lines).doesNotContain("data: [DONE]");
        List<SseEvent> events = SseEvent.parse(lines);
        JsonNode last = events.getLast().json();
        assertThat(last.get("error").get("code").asString()).isEqualTo("stream_interrupted");
        assertThat(last.get("error").get("message").asString()).isNotBlank();
    }

    @Test
    void aWrongKeyIs401InOpenAisShape() {
        OpenAIClient stranger = OpenAIOkHttpClient.builder().baseUrl(api.base() + "/v1").apiKey("not-a-key").maxRetries(0).build();

        UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class, () -> stranger.models().list());

        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.code()).contains("invalid_api_key");
    }
}
