package dev.switchboard.app.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.edge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.FakeTwilioServer;
import dev.switchboard.app.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code sms} node: requests on the wire, exactly-once sending, errors, opt-outs, status callbacks. */
class SmsNodeIT extends IntegrationTest {

    private static final String SENDER = "+14155550123";

    /** Delivers an SMS and waits for the run it started to end; the run. */
    private JsonNode conversation(TwilioFixture twilio, String from, String body) {
        Response ack = twilio.deliver(twilio.inbound(from, body));
        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        return awaitLatestRun(twilio);
    }

    private JsonNode awaitLatestRun(TwilioFixture twilio) {
        String runId = api.get("/api/v1/runs?appId=" + twilio.appId + "&limit=1").json().get("items").get(0).get("id")
                .asString();
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/v1/runs/" + runId).json(),
                        r -> !List.of("queued", "running").contains(r.get("status").asString()));
    }

    private static JsonNode node(JsonNode run, String nodeId) {
        for (JsonNode n : run.get("trace")) {
            if (n.get("nodeId").asString().equals(nodeId)) {
                return n;
            }
        }
        throw new AssertionError("no node " + nodeId + " in " + run);
    }

    @Test
    void repliesFromTheAppsNumberWithExactlyTheExpectedRequest() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());

        JsonNode run = conversation(twilio, SENDER, "Hello & welcome");

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        List<LoggedRequest> sent = twilio.sent();
        assertThat(sent).hasSize(1);
        LoggedRequest request = sent.getFirst();
        assertThat(request.getUrl()).isEqualTo("/2010-04-01/Accounts/" + twilio.accountSid + "/Messages.json");
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (twilio.accountSid + ":" + twilio.authToken).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> form = TwilioFixture.formOf(request);
        assertThat(form.keySet()).containsExactlyInAnyOrder("To", "From", "Body", "StatusCallback");
        assertThat(form.get("To")).isEqualTo(SENDER);
        assertThat(form.get("From")).isEqualTo(TwilioFixture.APP_NUMBER);
        assertThat(form.get("Body")).isEqualTo("You said: Hello & welcome");
        assertThat(form.get("StatusCallback")).matches(
                "\\Q" + api.base() + "/twilio/status/" + twilio.appId + "?send=\\E[0-9a-f-]{36}");
        JsonNode reply = node(run, "reply");
        assertThat(reply.get("outputs").get("sid").asString()).startsWith("SM");
        assertThat(reply.get("outputs").get("status").asString()).isEqualTo("queued");
        assertThat(run.get("outputs").get("sid").asString()).isEqualTo(reply.get("outputs").get("sid").asString());
        JsonNode delivery = run.get("deliveries").get(0);
        assertThat(delivery.get("nodeId").asString()).isEqualTo("reply");
        assertThat(delivery.get("state").asString()).isEqualTo("accepted");
        assertThat(delivery.get("messageId").asString()).isEqualTo(reply.get("outputs").get("sid").asString());
        assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void statusCallbacksAreRecordedInOrderOfProgressIntoTheRunsDeliveries() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
        JsonNode run = conversation(twilio, SENDER, "track me");
        String sid = node(run, "reply").get("outputs").get("sid").asString();
        String callback = TwilioFixture.formOf(twilio.sent().getFirst()).get("StatusCallback");
        String path = callback.substring(api.base().length());

        for (String status : List.of("queued", "delivered", "sent", "delivered")) { // out of order and repeated
            Map<String, String> params = new LinkedHashMap<>();
            params.put("AccountSid", twilio.accountSid);
            params.put("MessageSid", sid);
            params.put("SmsSid", sid);
            params.put("MessageStatus", status);
            params.put("SmsStatus", status);
            params.put("From", TwilioFixture.APP_NUMBER);
            params.put("To", SENDER);
            params.put("ApiVersion", "2010-04-01");
            Response r = twilio.post(path, params, TwilioFixture.sign(twilio.authToken, callback, params));
            assertThat(r.status()).as(r.body()).isEqualTo(204);
        }
        Response forged = twilio.post(path, Map.of("MessageSid", sid, "MessageStatus", "failed"), "forged");

        assertThat(forged.status()).isEqualTo(403);
        JsonNode delivery = api.get("/api/v1/runs/" + run.get("id").asString()).json().get("deliveries").get(0);
        assertThat(delivery.get("status").asString()).isEqualTo("delivered");
        assertThat(delivery.get("events")).extracting(e -> e.get("status").asString())
                .containsExactly("queued", "delivered", "sent");
    }

    @Test
    void aTwilioErrorEndsTheNodeWithTheCodeInTheTraceAndIsNotRetried() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
        twilio.stubMessages(TwilioFixture.error(400, 21211, "The 'To' number +1555 is not a valid phone number."));

        JsonNode run = conversation(twilio, "+1555", "hi");

        assertThat(run.get("status").asString()).isEqualTo("failed");
        JsonNode error = node(run, "reply").get("error");
        assertThat(error.get("type").asString()).isEqualTo("twilio_error");
        assertThat(error.get("message").asString()).contains("21211").contains("not a valid phone number");
        assertThat(twilio.sent()).hasSize(1);
        JsonNode delivery = run.get("deliveries").get(0);
        assertThat(delivery.get("state").asString()).isEqualTo("failed");
        assertThat(delivery.get("errorCode").asInt()).isEqualTo(21211);
    }

    @Test
    void error21610RecordsTheOptOutSoTheNextReplyIsNotEvenTried() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
        twilio.stubMessages(TwilioFixture.error(400, 21610, "Attempt to send to unsubscribed recipient"));
        JsonNode first = conversation(twilio, SENDER, "one");
        assertThat(node(first, "reply").get("error").get("message").asString()).contains("21610");

        JsonNode second = conversation(twilio, SENDER, "two");

        assertThat(second.get("status").asString()).isEqualTo("succeeded");
        assertThat(node(second, "reply").get("outputs").get("status").asString()).isEqualTo("opted_out");
        assertThat(twilio.sent()).hasSize(1);
    }

    @Test
    void tooManyRequestsIsRetriedWithBackoffAndTheMessageSentOnce() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
        FakeTwilioServer.server().stubFor(twilio.messages().inScenario("rate-" + twilio.accountSid)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("second")
                .willReturn(TwilioFixture.error(429, 20429, "Too Many Requests").withHeader("Retry-After", "0")));
        FakeTwilioServer.server().stubFor(twilio.messages().inScenario("rate-" + twilio.accountSid)
                .whenScenarioStateIs("second").willSetStateTo("third")
                .willReturn(aResponse().withStatus(503).withBody("<html>busy</html>")));
        FakeTwilioServer.server().stubFor(twilio.messages().inScenario("rate-" + twilio.accountSid)
                .whenScenarioStateIs("third").willReturn(twilio.created()));

        JsonNode run = conversation(twilio, SENDER, "busy?");

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(twilio.sent()).hasSize(3);
        assertThat(run.get("deliveries").get(0).get("attempts").asInt()).isEqualTo(3);
        assertThat(run.get("deliveries").get(0).get("state").asString()).isEqualTo("accepted");
    }

    @Test
    void anAmbiguousFailureIsNeverSentAgainAndALaterCallbackSettlesIt() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
        twilio.stubMessages(aResponse().withStatus(502).withBody("Bad gateway"));

        JsonNode run = conversation(twilio, SENDER, "did it go?");

        assertThat(run.get("status").asString()).isEqualTo("failed");
        assertThat(node(run, "reply").get("error").get("type").asString()).isEqualTo("twilio_outcome_unknown");
        assertThat(twilio.sent()).hasSize(1);
        JsonNode delivery = run.get("deliveries").get(0);
        assertThat(delivery.get("state").asString()).isEqualTo("unknown");

        String callback = TwilioFixture.formOf(twilio.sent().getFirst()).get("StatusCallback");
        Map<String, String> params = Map.of("AccountSid", twilio.accountSid, "MessageSid", "SM" + "7".repeat(32),
                "MessageStatus", "delivered");
        Response r = twilio.post(callback.substring(api.base().length()), params,
                TwilioFixture.sign(twilio.authToken, callback, params));
        assertThat(r.status()).isEqualTo(204);
        JsonNode settled = api.get("/api/v1/runs/" + run.get("id").asString()).json().get("deliveries").get(0);
        assertThat(settled.get("state").asString()).isEqualTo("accepted");
        assertThat(settled.get("messageId").asString()).isEqualTo("SM" + "7".repeat(32));
        assertThat(settled.get("status").asString()).isEqualTo("delivered");
    }

    @Test
    void afterStopTheRunsReplyIsSkippedAndAfterStartItIsSentAgain() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
        twilio.deliver(twilio.inbound(SENDER, "STOP"));

        JsonNode skipped = conversation(twilio, SENDER, "are you there?");

        assertThat(skipped.get("status").asString()).isEqualTo("succeeded");
        assertThat(node(skipped, "reply").get("outputs").get("status").asString()).isEqualTo("opted_out");
        assertThat(skipped.get("deliveries").get(0).get("state").asString()).isEqualTo("opted_out");
        assertThat(twilio.sent()).isEmpty();

        twilio.deliver(twilio.inbound(SENDER, "START"));
        JsonNode sent = conversation(twilio, SENDER, "back again");

        assertThat(node(sent, "reply").get("outputs").get("status").asString()).isEqualTo("queued");
        assertThat(twilio.sent()).hasSize(1);
    }

    @Test
    void aSlowModelDoesNotDelayTheAckAndTheSmsArrivesWhenItAnswers() {
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("sms-slow")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withFixedDelay(3_000).withBody("""
                                {"id":"c","object":"chat.completion","created":1,"model":"sms-slow",
                                 "choices":[{"index":0,"message":{"role":"assistant","content":"Worth the wait."},"finish_reason":"stop"}],
                                 "usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""")));
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of()),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", "fake/sms-slow",
                                "messages", List.of(Map.of("role", "user", "content", "{{trigger.Body}}")))),
                        Map.of("id", "reply", "type", "sms", "config", Map.of("body", "{{ai.text}}")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("sid", "{{reply.sid}}")))),
                "edges", List.of(edge("in", "ai"), edge("ai", "reply"), edge("reply", "out")));
        TwilioFixture twilio = TwilioFixture.create(api, graph);

        Response ack = twilio.deliver(twilio.inbound(SENDER, "think hard"));

        assertThat(ack.status()).isEqualTo(200);
        assertThat(ack.body()).isEqualTo("<Response/>");
        JsonNode justAcked = api.get("/api/v1/runs?appId=" + twilio.appId).json().get("items").get(0);
        assertThat(justAcked.get("status").asString()).isIn("queued", "running");
        assertThat(twilio.sent()).isEmpty();
        JsonNode run = awaitLatestRun(twilio);
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(twilio.sent()).hasSize(1);
        assertThat(TwilioFixture.formOf(twilio.sent().getFirst()).get("Body")).isEqualTo("Worth the wait.");
    }

    @Test
    void aBodyOver1600CharactersIsSplitAtWordsOrTruncatedAsConfigured() {
        TwilioFixture split = TwilioFixture.create(api, TwilioFixture.graph("{{trigger.Body}}", Map.of()));
        String words = "lorem ipsum dolor sit amet ".repeat(80).strip(); // 2,159 characters

        JsonNode run = conversation(split, SENDER, words);

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        List<String> bodies = split.sent().stream().map(r -> TwilioFixture.formOf(r).get("Body")).toList();
        assertThat(bodies).hasSize(2);
        assertThat(bodies).allSatisfy(b -> assertThat(b.length()).isLessThanOrEqualTo(1600));
        assertThat(String.join(" ", bodies)).isEqualTo(words);
        assertThat(node(run, "reply").get("outputs").get("parts").asInt()).isEqualTo(2);

        TwilioFixture truncate = TwilioFixture.create(api, TwilioFixture.graph("{{trigger.Body}}",
                Map.of("longBody", "truncate")));
        conversation(truncate, SENDER, words);
        String body = TwilioFixture.formOf(truncate.sent().getFirst()).get("Body");
        assertThat(truncate.sent()).hasSize(1);
        assertThat(body).hasSizeLessThanOrEqualTo(1600).endsWith("…");
        assertThat(words).startsWith(body.substring(0, body.length() - 1));
    }

    @Test
    void anApiRunCanTextAFixedNumberButNotAnImplicitSender() {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "text", "type", "text", "required", true)))),
                        Map.of("id", "fixed", "type", "sms", "config", Map.of("to", "+1 (415) 555-0999", "body", "{{in.text}}")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("sid", "{{fixed.sid}}")))),
                "edges", List.of(edge("in", "fixed"), edge("fixed", "out")));
        TwilioFixture twilio = TwilioFixture.create(api, graph);

        Response run = api.post("/api/v1/apps/" + twilio.appId + "/runs", Map.of("inputs", Map.of("text", "Reminder!")));

        assertThat(run.json().get("status").asString()).as(run.body()).isEqualTo("succeeded");
        assertThat(TwilioFixture.formOf(twilio.sent().getFirst()).get("To")).isEqualTo("+14155550999");
        assertThat(TwilioFixture.formOf(twilio.sent().getFirst())).doesNotContainKey("StatusCallback");

        TwilioFixture implicit = TwilioFixture.create(api, TwilioFixture.echoGraph());
        Response noRecipient = api.post("/api/v1/apps/" + implicit.appId + "/runs", Map.of("inputs", Map.of()));
        assertThat(noRecipient.json().get("status").asString()).isEqualTo("failed");
        assertThat(node(noRecipient.json(), "reply").get("error").get("message").asString()).contains("no recipient");
        assertThat(implicit.sent()).isEmpty();
    }
}
