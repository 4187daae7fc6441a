package dev.switchboard.gateway.internal.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.ProviderContractTest;
import dev.switchboard.gateway.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenAiProviderTest extends ProviderContractTest {

    @Override protected String type() { return "openai"; }
    @Override protected String model() { return "gpt-4o-mini"; }
    @Override protected String chatPath() { return "/v1/chat/completions"; }

    @Override
    protected String chatResponse(String text, int in, int out) {
        return OpenAiWire.chat("gpt-4o-mini-2024-07-18", text, in, out);
    }

    @Override
    protected String streamResponse(List<String> pieces, int in, int out) {
        return OpenAiWire.chatStream("gpt-4o-mini-2024-07-18", pieces, in, out, true);
    }

    @Override
    protected String streamResponseWithoutEnd(List<String> pieces) {
        return OpenAiWire.chatStream("gpt-4o-mini-2024-07-18", pieces, null, null, false);
    }

    @Override protected String errorBody(int status, String message) { return OpenAiWire.error(status, message); }
    @Override protected String contextLengthErrorBody() { return OpenAiWire.contextLength(); }

    @Override
    protected void assertAuthenticated(LoggedRequest request, String key) {
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + key);
    }

    @Override
    protected void assertChatWire(JsonNode body) {
        assertThat(body.path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(body.path("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop").toString()).isEqualTo("[\"END\"]");
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void streamAsksForUsageInTheLastChunk() {
        stubChat(200, "text/event-stream", streamResponse(List.of("a"), 1, 1));

        gateway.stream(sampleRequest(), CallContext.defaults(), t -> { });

        JsonNode body = lastRequestBody();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void officialApiGetsNoTopKButReasoningModelsGetMaxCompletionTokens() {
        stubChat(200, "application/json", OpenAiWire.chat("o3-mini", "ok", 1, 1));

        gateway.call(ModelRequest.builder().model("p/o3-mini").prompt("hi").maxTokens(10).topK(5).build(),
                CallContext.defaults());

        JsonNode body = lastRequestBody();
        assertThat(body.has("top_k")).isFalse();
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(10);
        assertThat(body.path("messages").path(0).path("content").asString()).isEqualTo("hi");
    }

    @Test
    void promptForAnInstructModelUsesLegacyCompletions() {
        WIRE.stubFor(post(urlPathEqualTo("/v1/completions")).willReturn(aResponse().withHeader("Content-Type",
                "application/json").withBody(OpenAiWire.completion("gpt-3.5-turbo-instruct", "\\n\\nThis is a test.",
                "length", 5, 7))));

        ModelResponse r = gateway.call(ModelRequest.builder().model("p/gpt-3.5-turbo-instruct")
                .prompt("Say this is a test").maxTokens(7).seed(42L).user("u-1").build(), CallContext.defaults());

        assertThat(r.text()).isEqualTo("\n\nThis is a test.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage()).isEqualTo(Usage.provider(5, 7));
        LoggedRequest sent = WIRE.findAll(postRequestedFor(urlPathEqualTo("/v1/completions"))).getFirst();
        JsonNode body = JSON.readTree(sent.getBodyAsString());
        assertThat(body.path("prompt").asString()).isEqualTo("Say this is a test");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(7);
        assertThat(body.path("seed").asLong()).isEqualTo(42L);
        assertThat(body.path("user").asString()).isEqualTo("u-1");
    }

    @Test
    void legacyCompletionStreams() {
        WIRE.stubFor(post(urlPathEqualTo("/v1/completions")).willReturn(aResponse().withHeader("Content-Type",
                "text/event-stream").withBody(OpenAiWire.completionStream("gpt-3.5-turbo-instruct",
                List.of("This", " is"), 5, 2))));
        List<String> seen = new ArrayList<>();

        ModelResponse r = gateway.stream(ModelRequest.completion("p/gpt-3.5-turbo-instruct", "Say"),
                CallContext.defaults(), seen::add);

        assertThat(seen).containsExactly("This", " is");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage()).isEqualTo(Usage.provider(5, 2));
    }

    @Test
    void errorEventInsideAStreamAfterTextIsAnInterruption() {
        String body = OpenAiWire.chatStream("gpt-4o-mini", List.of("Hel"), null, null, false)
                + "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n";
        stubChat(200, "text/event-stream", body);

        assertThatThrownBy(() -> gateway.stream(sampleRequest(), CallContext.defaults(), t -> { }))
                .isInstanceOf(GatewayException.StreamInterrupted.class)
                .hasMessageContaining("The server had an error")
                .hasCauseInstanceOf(GatewayException.ProviderError.class);
    }

    @Test
    void insufficientQuotaIsNotARateLimit() {
        stubChat(429, "application/json", OpenAiWire.insufficientQuota());

        assertThatThrownBy(() -> gateway.call(sampleRequest(), CallContext.defaults()))
                .isInstanceOf(GatewayException.QuotaExhausted.class);
    }

    @Test
    void rateLimitResetHeadersAreHonouredWithoutRetryAfter() {
        WIRE.stubFor(post(urlPathEqualTo(chatPath())).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-ratelimit-reset-requests", "1m0.5s").withHeader("x-ratelimit-reset-tokens", "20ms")
                .withBody(OpenAiWire.error(429, "Rate limit reached"))));

        var e = org.assertj.core.api.Assertions.catchThrowableOfType(GatewayException.RateLimited.class,
                () -> gateway.call(sampleRequest(), CallContext.defaults()));

        assertThat(e.retryAfter()).isEqualTo(java.time.Duration.ofMillis(60_500));
    }
}
