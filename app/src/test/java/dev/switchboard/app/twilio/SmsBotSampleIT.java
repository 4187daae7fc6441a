package dev.switchboard.app.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's "SMS bot in five minutes" graph, end to end: Twilio in → policy.pii (redact) → ai →
 * Twilio out. (The only Twilio test that uses a governance node kind.)
 */
class SmsBotSampleIT extends IntegrationTest {

    @Test
    void theReadmeSampleRedactsTheSendersPiiBeforeTheModelAndTextsTheAnswerBack() {
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("sms-bot")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"cmpl-1","object":"text_completion","created":1,"model":"sms-bot",
                         "choices":[{"index":0,"text":"Your order ships tomorrow.","finish_reason":"stop"}],
                         "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}""")));
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of()),
                        Map.of("id", "pii", "type", "policy.pii", "config", Map.of("text", "{{trigger.Body}}", "action", "redact")),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", "fake/sms-bot", "maxTokens", 200,
                                "prompt", "Answer this text message in one or two short sentences:\n{{pii.text}}")),
                        Map.of("id", "reply", "type", "sms", "config", Map.of("body", "{{ai.text}}")),
                        Map.of("id", "out", "type", "output", "config",
                                Map.of("values", Map.of("answer", "{{ai.text}}", "sid", "{{reply.sid}}")))),
                "edges", List.of(edge("in", "pii"), edge("pii", "ai"), edge("ai", "reply"), edge("reply", "out")));
        TwilioFixture twilio = TwilioFixture.create(api, graph);

        twilio.deliver(twilio.inbound("+14155550142", "Where is my order? Mail me at jo.doe@example.com"));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> twilio.sent().size() == 1);
        assertThat(TwilioFixture.formOf(twilio.sent().getFirst())).containsEntry("Body", "Your order ships tomorrow.")
                .containsEntry("To", "+14155550142");
        List<LoggedRequest> prompts = FakeModelServer.server().findAll(postRequestedFor(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("sms-bot"))));
        assertThat(prompts).hasSize(1);
        assertThat(prompts.getFirst().getBodyAsString()).contains("Where is my order?").doesNotContain("jo.doe@example.com");
    }
}
