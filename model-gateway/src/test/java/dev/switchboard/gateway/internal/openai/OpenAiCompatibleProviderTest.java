package dev.switchboard.gateway.internal.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.ProviderContractTest;
import dev.switchboard.gateway.Usage;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** vLLM / Ollama / TGI style servers: own base URL (with {@code /v1}), optional key, top_k, raw completions. */
class OpenAiCompatibleProviderTest extends ProviderContractTest {

    @Override protected String type() { return "openai-compatible"; }
    @Override protected String model() { return "EleutherAI/gpt-j-6b"; }
    @Override protected String chatPath() { return "/v1/chat/completions"; }

    @Override
    protected ProviderConfig providerConfig(URI baseUrl) {
        return ProviderConfig.of(type(), URI.create(baseUrl + "/v1/"), KEY);
    }

    @Override
    protected String chatResponse(String text, int in, int out) {
        // vLLM's shape: no service_tier, extra prompt_logprobs; usage as OpenAI
        return """
                {"id":"chatcmpl-9f6c","object":"chat.completion","created":1717000000,"model":"EleutherAI/gpt-j-6b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s","tool_calls":[]},"logprobs":null,
                 "finish_reason":"stop","stop_reason":null}],
                 "usage":{"prompt_tokens":%d,"total_tokens":%d,"completion_tokens":%d},"prompt_logprobs":null}
                """.formatted(text, in, in + out, out);
    }

    @Override
    protected String streamResponse(List<String> pieces, int in, int out) {
        return OpenAiWire.chatStream(model(), pieces, in, out, true);
    }

    @Override
    protected String streamResponseWithoutEnd(List<String> pieces) {
        return OpenAiWire.chatStream(model(), pieces, null, null, false);
    }

    @Override
    protected String errorBody(int status, String message) {
        // vLLM's ErrorResponse: {"object":"error","message","type","param","code"}; others use OpenAI's shape
        return status % 2 == 0 ? OpenAiWire.error(status, message)
                : "{\"object\":\"error\",\"message\":\"" + message + "\",\"type\":\"BadRequestError\",\"param\":null,\"code\":" + status + "}";
    }

    @Override
    protected String contextLengthErrorBody() {
        return "{\"object\":\"error\",\"message\":\"This model's maximum context length is 2048 tokens. However, you "
                + "requested 2100 tokens (2000 in the messages, 100 in the completion).\",\"type\":\"BadRequestError\","
                + "\"param\":null,\"code\":400}";
    }

    @Override
    protected void assertAuthenticated(LoggedRequest request, String key) {
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + key);
    }

    @Override
    protected void assertChatWire(JsonNode body) {
        assertThat(body.path("model").asString()).isEqualTo("EleutherAI/gpt-j-6b");
        assertThat(body.path("messages").size()).isEqualTo(2);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void promptGoesToRawCompletionsWithTopK() {
        WIRE.stubFor(post(urlPathEqualTo("/v1/completions")).willReturn(aResponse().withHeader("Content-Type",
                "application/json").withBody(OpenAiWire.completion(model(), " world", "stop", 2, 1))));

        ModelResponse r = gateway.call(ModelRequest.builder().model(ref()).prompt("Hello").topK(40).build(),
                CallContext.defaults());

        assertThat(r.text()).isEqualTo(" world");
        assertThat(r.usage()).isEqualTo(Usage.provider(2, 1));
        JsonNode body = JSON.readTree(WIRE.findAll(postRequestedFor(urlPathEqualTo("/v1/completions")))
                .getFirst().getBodyAsString());
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
    }

    @Test
    void serverWithoutKeyGetsNoAuthorizationHeaderAndMissingUsageIsEstimated() {
        try (ModelGateway noKey = gateway(ProviderConfig.of(type(), URI.create(WIRE.baseUrl()), null))) {
            stubChat(200, "application/json", "{\"id\":\"x\",\"model\":\"" + model() + "\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"four words right here\"},\"finish_reason\":\"stop\"}]}");

            ModelResponse r = noKey.call(sampleRequest(), CallContext.defaults());

            assertThat(WIRE.findAll(postRequestedFor(urlPathEqualTo(chatPath()))).getLast()
                    .containsHeader("Authorization")).isFalse();
            assertThat(r.usage().source()).isEqualTo(Usage.Source.ESTIMATED);
            assertThat(r.usage().outputTokens()).isEqualTo(6);
        }
    }

    @Test
    void compatibleProviderNeedsABaseUrl() {
        assertThatThrownBy(() -> ModelGateway.builder().config(GatewayConfig.builder()
                        .provider("vllm", ProviderConfig.of("openai-compatible", null, null)).build()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("providers.vllm.baseUrl");
    }
}
