package dev.switchboard.gateway.internal.anthropic;

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

/** Anthropic Messages API as documented (messages, streaming events, errors incl. 529 overloaded_error). */
class AnthropicProviderTest extends ProviderContractTest {

    @Override protected String type() { return "anthropic"; }
    @Override protected String model() { return "claude-3-5-haiku-20241022"; }
    @Override protected String chatPath() { return "/v1/messages"; }

    @Override
    protected String chatResponse(String text, int in, int out) {
        return """
                {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant",
                 "model":"claude-3-5-haiku-20241022","content":[{"type":"text","text":"%s"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":%d,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":%d}}
                """.formatted(text, in, out);
    }

    @Override
    protected String streamResponse(List<String> pieces, int in, int out) {
        return head(in) + deltas(pieces)
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + out + "}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    @Override
    protected String streamResponseWithoutEnd(List<String> pieces) {
        return head(3) + deltas(pieces);
    }

    private String head(int in) {
        return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"" + model() + "\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + in + ",\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: ping\ndata: {\"type\": \"ping\"}\n\n";
    }

    private static String deltas(List<String> pieces) {
        StringBuilder sb = new StringBuilder();
        for (String p : pieces) {
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"").append(p).append("\"}}\n\n");
        }
        return sb.toString();
    }

    @Override
    protected String errorBody(int status, String message) {
        String type = switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
        return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message
                + "\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}";
    }

    @Override
    protected String contextLengthErrorBody() {
        return errorBody(400, "prompt is too long: 215341 tokens > 200000 maximum");
    }

    @Override
    protected void assertAuthenticated(LoggedRequest request, String key) {
        assertThat(request.getHeader("x-api-key")).isEqualTo(key);
        assertThat(request.getHeader("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.containsHeader("Authorization")).isFalse();
    }

    @Override
    protected void assertChatWire(JsonNode body) {
        assertThat(body.path("model").asString()).isEqualTo(model());
        assertThat(body.path("system").asString()).isEqualTo("You are terse.");
        assertThat(body.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Say hello\"}]");
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("stop_sequences").toString()).isEqualTo("[\"END\"]");
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
    }

    @Test
    void maxTokensIsAlwaysSentBecauseTheApiRequiresIt() {
        stubChat(200, "application/json", chatResponse("ok", 1, 1));

        gateway.call(ModelRequest.completion(ref(), "hi"), CallContext.defaults());

        JsonNode body = lastRequestBody();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.path("messages").path(0).path("role").asString()).isEqualTo("user");
        assertThat(body.has("system")).isFalse();
    }

    @Test
    void overloadedErrorEventBeforeAnyTextIsRetriable() {
        stubChat(200, "text/event-stream", head(5) + "event: error\ndata: {\"type\":\"error\",\"error\":"
                + "{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");

        assertThatThrownBy(() -> gateway.stream(sampleRequest(), CallContext.defaults(), t -> { }))
                .isInstanceOf(GatewayException.ProviderError.class)
                .hasMessageContaining("Overloaded");
    }

    @Test
    void errorEventAfterTextIsAnInterruptionKeepingThePartialText() {
        stubChat(200, "text/event-stream", head(5) + deltas(List.of("Hi")) + "event: error\ndata: {\"type\":\"error\","
                + "\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        List<String> seen = new ArrayList<>();

        assertThatThrownBy(() -> gateway.stream(sampleRequest(), CallContext.defaults(), seen::add))
                .isInstanceOfSatisfying(GatewayException.StreamInterrupted.class,
                        e -> assertThat(e.partialText()).isEqualTo("Hi"));
        assertThat(seen).containsExactly("Hi");
    }

    @Test
    void maxTokensStopReasonIsLength() {
        stubChat(200, "application/json", chatResponse("cut", 3, 64).replace("end_turn", "max_tokens"));

        ModelResponse r = gateway.call(sampleRequest(), CallContext.defaults());

        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.usage()).isEqualTo(Usage.provider(3, 64));
    }
}
