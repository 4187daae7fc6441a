package dev.switchboard.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shared set-up of the gateway-behaviour tests: one WireMock server playing several OpenAI-style providers under
 * path prefixes ({@code /a/v1}, {@code /b/v1}), a hand-moved clock, a sleeper that records instead of sleeping,
 * a meter registry and a budget store.
 */
abstract class GatewayTestSupport {

    @RegisterExtension
    static final WireMockExtension WIRE = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    final MutableClock clock = new MutableClock();
    final RecordingSleeper sleeper = new RecordingSleeper(clock);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final InMemoryBudgetStore budgets = new InMemoryBudgetStore();
    private ModelGateway gateway;

    /** Retries: 3 attempts, 100 ms doubling, no jitter, so waits are exact. Breaker: 4 calls, 50 %. */
    static ResilienceConfig resilience() {
        return new ResilienceConfig(3, java.time.Duration.ofMillis(100), 2.0, java.time.Duration.ofSeconds(5), 0.0,
                java.time.Duration.ofSeconds(30), 50f, 4, 4, java.time.Duration.ofSeconds(30), 1);
    }

    static ProviderConfig provider(String prefix) {
        return ProviderConfig.of("openai", URI.create(WIRE.baseUrl() + "/" + prefix + "/v1"), "sk-" + prefix + "-key-0123456789");
    }

    GatewayConfig.Builder config() {
        return GatewayConfig.builder().provider("a", provider("a")).provider("b", provider("b")).resilience(resilience());
    }

    ModelGateway gateway(GatewayConfig config) {
        gateway = ModelGateway.builder().config(config).clock(clock).sleeper(sleeper).meterRegistry(meters)
                .budgetStore(budgets).random(new Random(7)).build();
        return gateway;
    }

    @AfterEach
    void closeGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    static String chatPath(String prefix) {
        return "/" + prefix + "/v1/chat/completions";
    }

    static void stub(String prefix, ResponseDefinitionBuilder response) {
        WIRE.stubFor(post(urlPathEqualTo(chatPath(prefix))).willReturn(response));
    }

    static void answer(String prefix, String text, int in, int out) {
        stub(prefix, aResponse().withHeader("Content-Type", "application/json").withBody(chat(text, in, out)));
    }

    static void fail(String prefix, int status) {
        stub(prefix, aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"upstream says " + status + "\",\"type\":\"server_error\"}}"));
    }

    static String chat(String text, int in, int out) {
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
                + ",\"total_tokens\":" + (in + out) + "}}";
    }

    static String sse(List<String> pieces, boolean done) {
        StringBuilder sb = new StringBuilder();
        for (String p : pieces) {
            sb.append("data: {\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(p).append("\"},\"finish_reason\":null}]}\n\n");
        }
        if (done) {
            sb.append("data: {\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},"
                    + "\"finish_reason\":\"stop\"}]}\n\n");
            sb.append("data: {\"id\":\"c\",\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
                    + "\"completion_tokens\":" + pieces.size() + ",\"total_tokens\":" + (10 + pieces.size()) + "}}\n\n");
            sb.append("data: [DONE]\n\n");
        }
        return sb.toString();
    }

    static int requests(String prefix) {
        return WIRE.findAll(postRequestedFor(urlPathEqualTo(chatPath(prefix)))).size();
    }

    static ModelRequest ask(String... refs) {
        return ModelRequest.builder().models(List.of(refs)).messages(List.of(ChatMessage.user("Hello"))).maxTokens(20).build();
    }
}
