package dev.switchboard.app.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Inline replies (an app's {@code inlineReplyMs}, default {@code switchboard.twilio.inline-reply-budget}):
 * a run that replies within the budget answers the webhook itself (TwiML {@code <Message>}); a
 * slower one falls back to the REST API.
 */
class InlineReplyIT extends IntegrationTest {

    private static final String SENDER = "+14155550188";

    private TwilioFixture withInlineReplies(Map<String, Object> graph) {
        TwilioFixture twilio = TwilioFixture.create(api, graph);
        Response settings = api.put("/api/v1/apps/" + twilio.appId + "/twilio", Map.of("accountSid", twilio.accountSid,
                "phoneNumber", TwilioFixture.APP_NUMBER, "inlineReplyMs", 1500));
        assertThat(settings.json().get("inlineReplyMs").asInt()).isEqualTo(1500);
        return twilio;
    }

    @Test
    void aFastReplyGoesBackInlineOnceAndIsNotSentThroughTheRestApi() {
        TwilioFixture twilio = withInlineReplies(TwilioFixture.echoGraph());
        Map<String, String> params = twilio.inbound(SENDER, "quick one");

        Response ack = twilio.deliver(params);

        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.body()).matches("<Response><Message action=\"\\Q" + api.base() + "/twilio/status/" + twilio.appId
                + "?send=\\E[0-9a-f-]{36}\" method=\"POST\">You said: quick one</Message></Response>");
        assertThat(twilio.deliver(params).body()).isEqualTo(ack.body());
        String runId = api.get("/api/v1/runs?appId=" + twilio.appId).json().get("items").get(0).get("id").asString();
        JsonNode run = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/v1/runs/" + runId).json(), r -> r.get("status").asString().equals("succeeded"));
        assertThat(run.get("deliveries").get(0).get("state").asString()).isEqualTo("inline");
        assertThat(run.get("trace").get(2).get("outputs").get("status").asString()).isEqualTo("inline");
        assertThat(api.get("/api/v1/runs?appId=" + twilio.appId).json().get("items")).hasSize(1);
        assertThat(twilio.sent()).isEmpty();
    }

    @Test
    void aReplySlowerThanTheBudgetIsAckedEmptyAndSentThroughTheRestApi() {
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("inline-slow")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withFixedDelay(3_000).withBody("""
                                {"id":"c","object":"chat.completion","created":1,"model":"inline-slow",
                                 "choices":[{"index":0,"message":{"role":"assistant","content":"Late."},"finish_reason":"stop"}],
                                 "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""")));
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of()),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", "fake/inline-slow",
                                "messages", List.of(Map.of("role", "user", "content", "{{trigger.Body}}")))),
                        Map.of("id", "reply", "type", "sms", "config", Map.of("body", "{{ai.text}}")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("sid", "{{reply.sid}}")))),
                "edges", List.of(edge("in", "ai"), edge("ai", "reply"), edge("reply", "out")));
        TwilioFixture twilio = withInlineReplies(graph);

        Response ack = twilio.deliver(twilio.inbound(SENDER, "take your time"));

        assertThat(ack.body()).isEqualTo("<Response/>");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> twilio.sent().size() == 1);
        assertThat(TwilioFixture.formOf(twilio.sent().getFirst()).get("Body")).isEqualTo("Late.");
    }
}
