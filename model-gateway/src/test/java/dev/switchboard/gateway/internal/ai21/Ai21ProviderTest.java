package dev.switchboard.gateway.internal.ai21;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.ProviderContractTest;
import dev.switchboard.gateway.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** AI21 Studio: Jamba chat completions and Jurassic-2 complete (token arrays, no usage object). */
class Ai21ProviderTest extends ProviderContractTest {

    @Override protected String type() { return "ai21"; }
    @Override protected String model() { return "jamba-mini"; }
    @Override protected String chatPath() { return "/studio/v1/chat/completions"; }

    @Override
    protected String chatResponse(String text, int in, int out) {
        return """
                {"id":"chat-2d3e4ac8c7f64d5e8b3a1c2d","choices":[{"index":0,"message":{"role":"assistant",
                 "content":"%s","tool_calls":null},"logprobs":null,"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d},"meta":{"requestDurationMillis":187},
                 "model":"jamba-mini"}
                """.formatted(text, in, out, in + out);
    }

    @Override
    protected String streamResponse(List<String> pieces, int in, int out) {
        return head(pieces) + "data: {\"id\":\"chat-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + in
                + ",\"total_tokens\":" + (in + out) + ",\"completion_tokens\":" + out + "}}\n\ndata: [DONE]\n\n";
    }

    @Override
    protected String streamResponseWithoutEnd(List<String> pieces) {
        return head(pieces);
    }

    private static String head(List<String> pieces) {
        StringBuilder sb = new StringBuilder("data: {\"id\":\"chat-1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":"
                + "\"assistant\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        for (String p : pieces) {
            sb.append("data: {\"id\":\"chat-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(p)
                    .append("\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }
        return sb.toString();
    }

    @Override
    protected String errorBody(int status, String message) {
        return status == 422
                ? "{\"detail\":[{\"loc\":[\"body\",\"max_tokens\"],\"msg\":\"" + message + "\",\"type\":\"value_error\"}]}"
                : "{\"detail\":\"" + message + "\"}";
    }

    @Override
    protected String contextLengthErrorBody() {
        return errorBody(400, "The input is too long: this model's maximum context length is 256000 tokens");
    }

    @Override
    protected void assertAuthenticated(LoggedRequest request, String key) {
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + key);
    }

    @Override
    protected void assertChatWire(JsonNode body) {
        assertThat(body.path("model").asString()).isEqualTo("jamba-mini");
        assertThat(body.path("messages").size()).isEqualTo(2);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(body.path("stop").toString()).isEqualTo("[\"END\"]");
        assertThat(body.path("n").asInt()).isEqualTo(1);
    }

    private static final String J2_ANSWER = """
            {"id":1234,"prompt":{"text":"Roses are","tokens":[
              {"generatedToken":{"token":"▁Roses","logprob":-9.1,"raw_logprob":-9.1},"topTokens":null,"textRange":{"start":0,"end":5}},
              {"generatedToken":{"token":"▁are","logprob":-1.2,"raw_logprob":-1.2},"topTokens":null,"textRange":{"start":5,"end":9}}]},
             "completions":[{"data":{"text":" red, violets","tokens":[
              {"generatedToken":{"token":"▁red","logprob":-0.3,"raw_logprob":-0.3},"topTokens":null,"textRange":{"start":0,"end":4}},
              {"generatedToken":{"token":",","logprob":-0.1,"raw_logprob":-0.1},"topTokens":null,"textRange":{"start":4,"end":5}},
              {"generatedToken":{"token":"▁violets","logprob":-0.2,"raw_logprob":-0.2},"topTokens":null,"textRange":{"start":5,"end":13}}]},
              "finishReason":{"reason":"length","length":3}}]}
            """;

    @Test
    void jurassicCompleteCountsTokensFromTheTokenArrays() {
        WIRE.stubFor(post(urlPathEqualTo("/studio/v1/j2-ultra/complete")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(J2_ANSWER)));

        ModelResponse r = gateway.call(ModelRequest.builder().model("p/j2-ultra").prompt("Roses are").maxTokens(3)
                .stop(List.of("\n")).build(), CallContext.defaults());

        assertThat(r.text()).isEqualTo(" red, violets");
        assertThat(r.usage()).isEqualTo(Usage.provider(2, 3));
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        JsonNode body = JSON.readTree(WIRE.findAll(postRequestedFor(urlPathEqualTo("/studio/v1/j2-ultra/complete")))
                .getFirst().getBodyAsString());
        assertThat(body.path("prompt").asString()).isEqualTo("Roses are");
        assertThat(body.path("maxTokens").asInt()).isEqualTo(3);
        assertThat(body.path("stopSequences").toString()).isEqualTo("[\"\\n\"]");
        assertThat(body.path("numResults").asInt()).isEqualTo(1);
    }

    @Test
    void jurassicStreamsAsOneDeltaAndChatBecomesATranscript() {
        WIRE.stubFor(post(urlPathEqualTo("/studio/v1/j2-mid/complete")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(J2_ANSWER.replace("\"length\",", "\"endoftext\","))));
        List<String> seen = new ArrayList<>();

        ModelResponse r = gateway.stream(ModelRequest.chat("p/j2-mid", ChatMessage.system("Poet."),
                ChatMessage.user("Roses are")), CallContext.defaults(), seen::add);

        assertThat(seen).containsExactly(" red, violets");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode body = JSON.readTree(WIRE.findAll(postRequestedFor(urlPathEqualTo("/studio/v1/j2-mid/complete")))
                .getFirst().getBodyAsString());
        assertThat(body.path("prompt").asString()).isEqualTo("System: Poet.\nUser: Roses are\nAssistant:");
    }
}
