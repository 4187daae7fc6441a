package dev.switchboard.app.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.SseEvent;
import dev.switchboard.app.support.TestGraphs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The {@code ai} node through the whole gateway: fallback chains when a provider storms 503s (its
 * circuit opens and later runs skip it), a 429's Retry-After waited out before the retry, and
 * streamed runs taking the fallback too. Seen where a user sees it: the run, its trace, metrics.
 */
class AiNodeResilienceIT extends GatewayIntegrationTest {

    private final WireMockServer fake = FakeModelServer.server();

    static String completion(String model, String text) {
        return """
                {"id":"x","object":"chat.completion","created":1,"model":"%s",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":6,"completion_tokens":4,"total_tokens":10}}""".formatted(model, text);
    }

    private MappingBuilder chatFor(String key, String model) {
        return post(urlPathEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer " + key))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)));
    }

    @Test
    void aStormOf503sOnThePrimaryFallsBackAndOpensItsCircuit() {
        fake.stubFor(chatFor(PRIME_KEY, "storm").willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":\"overloaded\"}}")));
        fake.stubFor(chatFor(BACKUP_KEY, "storm").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(completion("storm", "from backup"))));
        String appId = createApp(api, TestGraphs.ai("unused/x", Map.of("model", List.of("prime/storm", "backup/storm"))));

        for (int i = 0; i < 5; i++) {
            JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "run " + i))).json();

            assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
            assertThat(run.get("outputs").get("answer").asString()).isEqualTo("from backup");
            JsonNode ai = run.get("trace").get(1);
            assertThat(ai.get("usage").get("model").asString()).isEqualTo("backup/storm");
            assertThat(ai.get("outputs").get("model").asString()).isEqualTo("backup/storm");
        }

        // 3 attempts in the first run, the 4th failure opens the circuit; later runs go straight to the backup
        fake.verify(4, postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + PRIME_KEY)).withRequestBody(matchingJsonPath("$.model", equalTo("storm"))));
        fake.verify(5, postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + BACKUP_KEY)).withRequestBody(matchingJsonPath("$.model", equalTo("storm"))));
        String metrics = api.withKey(null).get("/actuator/prometheus").body();
        assertThat(metrics).containsPattern("switchboard_gateway_fallbacks_total\\{[^}]*\\} [1-9]");
        assertThat(metrics).contains("gen_ai_client_operation_duration_seconds_count");
        // the failed attempts are exported too (they once lacked tag keys the successes had, and Prometheus dropped them)
        assertThat(metrics).containsPattern("gen_ai_client_operation_duration_seconds_count\\{[^}]*error_type=\"provider_error\""
                + "[^}]*gen_ai_request_model=\"storm\"[^}]*\\} 4");
        assertThat(metrics).containsPattern("gen_ai_client_token_usage_[a-z_]*\\{[^}]*gen_ai_token_type=\"output\"");

        // without a fallback, a run fails at once, and its error says why the provider is not called
        String alone = createApp(api, TestGraphs.ai("prime/storm", Map.of()));
        JsonNode failed = api.post("/api/v1/apps/" + alone + "/runs", Map.of("inputs", Map.of("text", "x"))).json();
        assertThat(failed.get("status").asString()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.get("error").get("type").asString()).isEqualTo("model_error");
        assertThat(failed.get("error").get("message").asString()).isEqualTo("unavailable: every deployment of "
                + "prime/storm has an open circuit: 4 of its last 4 calls failed, so it is not called for 600 s after "
                + "the circuit opened (the gateway log names the failure; see switchboard.gateway.resilience)");
        fake.verify(4, postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + PRIME_KEY)).withRequestBody(matchingJsonPath("$.model", equalTo("storm"))));
    }

    @Test
    void aRateLimitIsRetriedAfterTheRetryAfterTheProviderAsked() {
        String scenario = "rate-limited-once";
        fake.stubFor(chatFor(PRIME_KEY, "limited").inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"))
                .willSetStateTo("served"));
        fake.stubFor(chatFor(PRIME_KEY, "limited").inScenario(scenario).whenScenarioStateIs("served")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(completion("limited", "after the wait"))));
        String appId = createApp(api, TestGraphs.ai("prime/limited", Map.of()));

        JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))).json();

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("answer").asString()).isEqualTo("after the wait");
        assertThat(run.get("trace").get(1).get("usage").get("model").asString()).isEqualTo("prime/limited");
        List<java.util.Date> sent = fake.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getUrl().startsWith("/v1/chat/completions")
                        && e.getRequest().getBodyAsString().contains("\"limited\""))
                .map(e -> e.getRequest().getLoggedDate()).sorted().toList();
        assertThat(sent).hasSize(2);
        assertThat(Duration.ofMillis(sent.get(1).getTime() - sent.get(0).getTime())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(run.get("trace").get(1).get("latencyMs").asDouble()).isGreaterThanOrEqualTo(950);
    }

    @Test
    void aStreamedRunFallsBackBeforeItsFirstToken() {
        fake.stubFor(chatFor(PRIME_KEY, "stream-down").willReturn(aResponse().withStatus(502)));
        String sse = "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"stream-down\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"backup \"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"s\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"stream-down\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"streams\"},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: [DONE]\n\n";
        fake.stubFor(chatFor(BACKUP_KEY, "stream-down").willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(sse)));
        String appId = createApp(api, TestGraphs.ai("unused/x", Map.of("model", List.of("prime/stream-down", "backup/stream-down"))));

        List<SseEvent> events = SseEvent.parse(api.stream("/api/v1/apps/" + appId + "/runs?mode=stream",
                Map.of("inputs", Map.of("text", "x"))));

        assertThat(events.stream().filter(e -> e.name().equals("token")).map(e -> e.json().get("text").asString()))
                .containsExactly("backup ", "streams");
        JsonNode done = events.getLast().json();
        assertThat(done.get("status").asString()).isEqualTo("succeeded");
        assertThat(done.get("trace").get(1).get("usage").get("model").asString()).isEqualTo("backup/stream-down");
        assertThat(done.get("trace").get(1).get("usage").get("estimated").asBoolean()).isTrue(); // no usage chunk upstream
    }
}
