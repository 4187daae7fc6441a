package dev.switchboard.gateway.internal.cohere;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelPrice;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.ProviderContractTest;
import dev.switchboard.gateway.Usage;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Cohere v2 chat and legacy generate as documented (typed stream events, billed_units, {"message"} errors). */
class CohereProviderTest extends ProviderContractTest {

    @Override protected String type() { return "cohere"; }
    @Override protected String model() { return "command-r-plus-08-2024"; }
    @Override protected String chatPath() { return "/v2/chat"; }

    @Override
    protected String chatResponse(String text, int in, int out) {
        return """
                {"id":"c14c80c3-18eb-4519-9460-6c92edd8cfb4","message":{"role":"assistant",
                 "content":[{"type":"text","text":"%s"}]},"finish_reason":"COMPLETE",
                 "usage":{"billed_units":{"input_tokens":%d,"output_tokens":%d},
                 "tokens":{"input_tokens":%d,"output_tokens":%d}}}
                """.formatted(text, Math.max(0, in - 10), out, in, out);
    }

    @Override
    protected String streamResponse(List<String> pieces, int in, int out) {
        return head(pieces) + "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n"
                + "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\","
                + "\"usage\":{\"billed_units\":{\"input_tokens\":" + Math.max(0, in - 10) + ",\"output_tokens\":" + out
                + "},\"tokens\":{\"input_tokens\":" + in + ",\"output_tokens\":" + out + "}}}}\n\n";
    }

    @Override
    protected String streamResponseWithoutEnd(List<String> pieces) {
        return head(pieces);
    }

    private static String head(List<String> pieces) {
        StringBuilder sb = new StringBuilder("event: message-start\ndata: {\"id\":\"29f14a5a-11de-4cae-9800-25e4747408ea\","
                + "\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[],"
                + "\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n"
                + "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":"
                + "{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n");
        for (String p : pieces) {
            sb.append("event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":"
                    + "{\"content\":{\"text\":\"").append(p).append("\"}}}}\n\n");
        }
        return sb.toString();
    }

    @Override
    protected String errorBody(int status, String message) {
        return "{\"id\":\"6a3f8bd8-3a4a-4b1e-9d43-ef7b9fbbd4b3\",\"message\":\"" + message + "\"}";
    }

    @Override
    protected String contextLengthErrorBody() {
        return errorBody(400, "too many tokens: total number of tokens in the prompt cannot exceed 4081 - received 9287");
    }

    @Override
    protected void assertAuthenticated(LoggedRequest request, String key) {
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + key);
    }

    @Override
    protected void assertChatWire(JsonNode body) {
        assertThat(body.path("model").asString()).isEqualTo(model());
        assertThat(body.path("messages").toString()).isEqualTo(
                "[{\"role\":\"system\",\"content\":\"You are terse.\"},{\"role\":\"user\",\"content\":\"Say hello\"}]");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop_sequences").toString()).isEqualTo("[\"END\"]");
        assertThat(body.has("top_p")).isFalse();
    }

    @Test
    void costComesFromBilledUnitsNotCountedTokens() {
        try (ModelGateway priced = ModelGateway.builder().config(GatewayConfig.builder()
                .provider("p", providerConfig(URI.create(WIRE.baseUrl())))
                .price("p/" + model(), ModelPrice.of("1000000", "0")).build()).build()) {
            stubChat(200, "application/json", chatResponse("hi", 71, 5));

            ModelResponse r = priced.call(sampleRequest(), CallContext.defaults());

            assertThat(r.usage()).isEqualTo(Usage.provider(71, 5));
            // 61 billed input tokens at 1 USD each; the 10 template tokens are not billed
            assertThat(r.cost()).isEqualByComparingTo(new BigDecimal("61"));
        }
    }

    @Test
    void legacyGenerateForPromptsToGenerateModels() {
        WIRE.stubFor(post(urlPathEqualTo("/v1/generate")).willReturn(aResponse().withHeader("Content-Type",
                "application/json").withBody("""
                {"id":"c2ef2d7e-9bc8-47fa-a5a2-2bd2a3b6d9b3","generations":[{"id":"2ef3","text":" the sea.",
                 "finish_reason":"MAX_TOKENS"}],"prompt":"Once upon","meta":{"api_version":{"version":"1"},
                 "billed_units":{"input_tokens":2,"output_tokens":4}}}
                """)));

        ModelResponse r = gateway.call(ModelRequest.builder().model("p/command").prompt("Once upon").maxTokens(4)
                .topK(5).build(), CallContext.defaults());

        assertThat(r.text()).isEqualTo(" the sea.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage()).isEqualTo(Usage.provider(2, 4));
        JsonNode body = JSON.readTree(WIRE.findAll(postRequestedFor(urlPathEqualTo("/v1/generate"))).getFirst()
                .getBodyAsString());
        assertThat(body.path("prompt").asString()).isEqualTo("Once upon");
        assertThat(body.path("k").asInt()).isEqualTo(5);
    }

    @Test
    void legacyGenerateStreamsNewlineDelimitedJson() {
        WIRE.stubFor(post(urlPathEqualTo("/v1/generate")).willReturn(aResponse().withHeader("Content-Type",
                "application/stream+json").withBody("""
                {"text":" the","is_finished":false}
                {"text":" sea","is_finished":false}
                {"is_finished":true,"finish_reason":"COMPLETE","response":{"id":"5d4c","generations":[{"id":"1",\
                "text":" the sea","finish_reason":"COMPLETE"}],"prompt":"Once upon","meta":{"billed_units":\
                {"input_tokens":2,"output_tokens":2}}}}
                """)));
        List<String> seen = new ArrayList<>();

        ModelResponse r = gateway.stream(ModelRequest.completion("p/command-light", "Once upon"),
                CallContext.defaults(), seen::add);

        assertThat(seen).containsExactly(" the", " sea");
        assertThat(r.usage()).isEqualTo(Usage.provider(2, 2));
    }

    @Test
    void baseUrlWithVersionStillReachesV2Chat() {
        try (ModelGateway g = gateway(ProviderConfig.of("cohere", URI.create(WIRE.baseUrl() + "/v1"), KEY))) {
            stubChat(200, "application/json", chatResponse("ok", 12, 1));

            assertThat(g.call(sampleRequest(), CallContext.defaults()).text()).isEqualTo("ok");
        }
    }
}
