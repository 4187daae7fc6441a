package dev.switchboard.app.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;

/** Stubs of the upstream OpenAI wire format on the shared WireMock fake, one model name per test. */
final class FakeOpenAi {

    private FakeOpenAi() {
    }

    static String chat(String model, String text, int in, int out) {
        return """
                {"id":"chatcmpl-up","object":"chat.completion","created":1,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(model, text, in, out, in + out);
    }

    static String text(String model, String text, int in, int out) {
        return """
                {"id":"cmpl-up","object":"text_completion","created":1,"model":"%s",
                 "choices":[{"index":0,"text":"%s","finish_reason":"length"}],
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}}"""
                .formatted(model, text, in, out, in + out);
    }

    /** An upstream chat stream of {@code pieces}; with {@code complete} false it stops without finish or [DONE]. */
    static String chatStream(String model, List<String> pieces, int in, int out, boolean complete) {
        StringBuilder sse = new StringBuilder();
        for (String piece : pieces) {
            sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"")
                    .append(model).append("\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece)
                    .append("\"},\"finish_reason\":null}]}\n\n");
        }
        if (complete) {
            sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"").append(model)
                    .append("\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            sse.append("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"").append(model)
                    .append("\",\"choices\":[],\"usage\":{\"prompt_tokens\":").append(in).append(",\"completion_tokens\":")
                    .append(out).append(",\"total_tokens\":").append(in + out).append("}}\n\n");
            sse.append("data: [DONE]\n\n");
        }
        return sse.toString();
    }

    static String textStream(String model, List<String> pieces) {
        StringBuilder sse = new StringBuilder();
        for (String piece : pieces) {
            sse.append("data: {\"id\":\"c1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"").append(model)
                    .append("\",\"choices\":[{\"index\":0,\"text\":\"").append(piece).append("\",\"finish_reason\":null}]}\n\n");
        }
        sse.append("data: {\"id\":\"c1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"").append(model)
                .append("\",\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"stop\"}]}\n\n");
        sse.append("data: [DONE]\n\n");
        return sse.toString();
    }

    static void stub(WireMockServer server, String path, String model, ResponseDefinitionBuilder response) {
        server.stubFor(post(urlPathEqualTo(path)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(response));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }
}
