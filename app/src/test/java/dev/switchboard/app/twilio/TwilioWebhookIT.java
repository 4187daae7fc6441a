package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** {@code POST /twilio/sms/{appId}}: signature, exactly-once runs, keywords, bad input. */
class TwilioWebhookIT extends IntegrationTest {

    private static final String SENDER = "+14155550100";

    @Autowired
    JdbcTemplate jdbc;

    private TwilioFixture twilio;

    @BeforeEach
    void app() {
        twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
    }

    private JsonNode runsOfApp() {
        return api.get("/api/v1/runs?appId=" + twilio.appId).json().get("items");
    }

    private int inboundRows() {
        return jdbc.queryForObject("SELECT count(*) FROM twilio_inbound WHERE app_id = ?::uuid", Integer.class, twilio.appId);
    }

    @Test
    void acksAtOnceWithEmptyTwimlAndRunsThePublishedAppWithEveryParameterAsTrigger() {
        Map<String, String> params = twilio.inbound(SENDER, "hi there");
        params.put("NumMedia", "1");
        params.put("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z");
        params.put("MediaContentType0", "image/jpeg");

        Response ack = twilio.deliver(params);

        assertThat(ack.status()).as(ack.body()).isEqualTo(200);
        assertThat(ack.contentType()).startsWith("text/xml");
        assertThat(ack.body()).isEqualTo("<Response/>");
        JsonNode runs = runsOfApp();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("source").asString()).isEqualTo("twilio");
        String runId = runs.get(0).get("id").asString();
        JsonNode run = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/v1/runs/" + runId).json(), r -> r.get("status").asString().equals("succeeded"));
        JsonNode trigger = run.get("trigger");
        params.forEach((name, value) -> assertThat(trigger.get(name).asString()).as(name).isEqualTo(value));
        assertThat(run.get("trace").get(1).get("outputs").get("text").asString()).isEqualTo("You said: hi there");
        assertThat(twilio.sent()).hasSize(1);
    }

    @Test
    void theSameMessageSidDeliveredThreeTimesStartsOneRunAndSendsOneSms() {
        Map<String, String> params = twilio.inbound(SENDER, "once only");

        List<Response> acks = List.of(twilio.deliver(params), twilio.deliver(params), twilio.deliver(params));

        assertThat(acks).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("<Response/>");
        });
        JsonNode runs = runsOfApp();
        assertThat(runs).hasSize(1);
        String runId = runs.get(0).get("id").asString();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/v1/runs/" + runId).json().get("status").asString(), "succeeded"::equals);
        assertThat(twilio.deliver(params).body()).isEqualTo("<Response/>");
        assertThat(runsOfApp()).hasSize(1);
        assertThat(twilio.sent()).hasSize(1);
        assertThat(inboundRows()).isEqualTo(1);
    }

    @Test
    void concurrentDeliveriesOfOneMessageStartOneRun() {
        Map<String, String> params = twilio.inbound(SENDER, "racing");
        List<CompletableFuture<Response>> acks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            acks.add(CompletableFuture.supplyAsync(() -> twilio.deliver(params)));
        }

        assertThat(acks).allSatisfy(a -> assertThat(a.join().status()).isEqualTo(200));
        assertThat(runsOfApp()).hasSize(1);
        String runId = runsOfApp().get(0).get("id").asString();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.get("/api/v1/runs/" + runId).json().get("status").asString(), "succeeded"::equals);
        assertThat(twilio.sent()).hasSize(1);
    }

    @Test
    void rejectsForgedOrMissingSignaturesAndStoresNothing() {
        Map<String, String> params = twilio.inbound(SENDER, "let me in");
        String path = "/twilio/sms/" + twilio.appId;
        String url = twilio.webhookUrl();
        Map<String, String> tampered = new LinkedHashMap<>(params);
        tampered.put("Body", "something else");

        List<Response> refused = List.of(
                twilio.post(path, params, null),
                twilio.post(path, params, ""),
                twilio.post(path, params, "bm90IGEgc2lnbmF0dXJl"),
                twilio.post(path, params, TwilioFixture.sign("another-token", url, params)),
                twilio.post(path, params, TwilioFixture.sign(twilio.authToken, url + "?x=1", params)),
                twilio.post(path, params, TwilioFixture.sign(twilio.authToken, "https://evil.example" + path, params)),
                twilio.post(path, tampered, TwilioFixture.sign(twilio.authToken, url, params)));

        assertThat(refused).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.body()).doesNotContain(twilio.authToken);
        });
        assertThat(inboundRows()).isZero();
        assertThat(runsOfApp()).isEmpty();
        assertThat(twilio.sent()).isEmpty();
    }

    @Test
    void aValidSignatureForAnotherAccountIsRefused() {
        Map<String, String> params = twilio.inbound(SENDER, "hello");
        params.put("AccountSid", "AC" + "0".repeat(32));

        Response r = twilio.deliver(params);

        assertThat(r.status()).isEqualTo(403);
        assertThat(inboundRows()).isZero();
    }

    @Test
    void unknownAppsAndAppsWithoutTwilioAre404AndSayNothingAboutOtherApps() {
        Map<String, String> params = twilio.inbound(SENDER, "anyone?");
        String unknown = UUID.randomUUID().toString();
        Response noSettingsApp = api.post("/api/v1/apps", Map.of("name", "no-twilio-" + UUID.randomUUID(),
                "graph", TwilioFixture.echoGraph()));
        String withoutTwilio = noSettingsApp.json().get("id").asString();

        Response a = twilio.post("/twilio/sms/" + unknown, params,
                TwilioFixture.sign(twilio.authToken, api.base() + "/twilio/sms/" + unknown, params));
        Response b = twilio.post("/twilio/sms/" + withoutTwilio, params,
                TwilioFixture.sign(twilio.authToken, api.base() + "/twilio/sms/" + withoutTwilio, params));
        Response c = twilio.post("/twilio/sms/not-an-id", params, "x");

        for (Response r : List.of(a, b, c)) {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.json().get("detail").asString()).isEqualTo("No Twilio webhook at this address");
            assertThat(r.body()).doesNotContain(twilio.appId);
        }
        // the same answer whether the app exists or not (instance is the caller's own path)
        assertThat(a.body().replace(unknown, "{id}")).isEqualTo(b.body().replace(withoutTwilio, "{id}"));
    }

    @Test
    void malformedBodiesAre400AndOtherContentTypes415() {
        String path = "/twilio/sms/" + twilio.appId;
        Response badEscape = api.withKey(null).send(path, b -> b.header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", "x").POST(HttpRequest.BodyPublishers.ofString("Body=100%ZZ&From=%2B1")));
        Response duplicateName = api.withKey(null).send(path, b -> b.header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", "x").POST(HttpRequest.BodyPublishers.ofString("Body=a&Body=b")));
        Response json = api.withKey(null).send(path, b -> b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"Body\": \"hi\"}")));
        Map<String, String> noSid = twilio.inbound(SENDER, "no sid");
        noSid.remove("MessageSid");
        Response missingSid = twilio.deliver(noSid);

        assertThat(badEscape.status()).as(badEscape.body()).isEqualTo(400);
        assertThat(duplicateName.status()).as(duplicateName.body()).isEqualTo(400);
        assertThat(json.status()).as(json.body()).isEqualTo(415);
        assertThat(missingSid.status()).as(missingSid.body()).isEqualTo(400);
        assertThat(missingSid.json().get("detail").asString()).contains("MessageSid");
        assertThat(inboundRows()).isZero();
    }

    @Test
    void anUnpublishedAppAnswers404AndStoresNothingSoARetryAfterPublishingRuns() {
        Response created = api.post("/api/v1/apps", Map.of("name", "draft-only-" + UUID.randomUUID(),
                "graph", TwilioFixture.echoGraph()));
        String appId = created.json().get("id").asString();
        api.put("/api/v1/apps/" + appId + "/twilio", Map.of("accountSid", twilio.accountSid, "authToken",
                twilio.authToken, "phoneNumber", TwilioFixture.APP_NUMBER));
        Map<String, String> params = twilio.inbound(SENDER, "early");
        String url = api.base() + "/twilio/sms/" + appId;

        Response early = twilio.post("/twilio/sms/" + appId, params, TwilioFixture.sign(twilio.authToken, url, params));
        assertThat(early.status()).as(early.body()).isEqualTo(404);
        api.post("/api/v1/apps/" + appId + "/publish", "");
        Response retried = twilio.post("/twilio/sms/" + appId, params, TwilioFixture.sign(twilio.authToken, url, params));

        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(api.get("/api/v1/runs?appId=" + appId).json().get("items")).hasSize(1);
    }

    @Test
    void helpIsAnsweredWithTheAppsHelpTextAndStartsNoRun() {
        api.put("/api/v1/apps/" + twilio.appId + "/twilio", Map.of("accountSid", twilio.accountSid,
                "phoneNumber", TwilioFixture.APP_NUMBER, "helpText", "Acme bot: ask me anything <3. STOP to quit."));

        Response help = twilio.deliver(twilio.inbound(SENDER, "  help "));

        assertThat(help.status()).isEqualTo(200);
        assertThat(help.body()).isEqualTo(
                "<Response><Message>Acme bot: ask me anything &lt;3. STOP to quit.</Message></Response>");
        assertThat(runsOfApp()).isEmpty();
        assertThat(inboundRows()).isEqualTo(1);
    }

    @Test
    void stopAndTheOtherOptOutWordsStartNoRunAndAreRecordedAndStartRejoins() {
        List<String> words = List.of("STOP", "stop", "Unsubscribe", "CANCEL.", "end", "QUIT", "STOPALL");
        for (int i = 0; i < words.size(); i++) {
            String sender = "+1415555020" + i;
            Response r = twilio.deliver(twilio.inbound(sender, words.get(i)));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("<Response/>");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM twilio_opt_outs WHERE account_sid = ? AND recipient = ?",
                    Integer.class, twilio.accountSid, sender)).as(words.get(i)).isEqualTo(1);
        }
        assertThat(runsOfApp()).isEmpty();

        Response start = twilio.deliver(twilio.inbound("+14155550200", "Start"));

        assertThat(start.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM twilio_opt_outs WHERE account_sid = ?", Integer.class,
                twilio.accountSid)).isEqualTo(words.size() - 1);
        assertThat(runsOfApp()).isEmpty();
    }

    @Test
    void aSentenceContainingStopIsAnOrdinaryMessage() {
        twilio.deliver(twilio.inbound(SENDER, "please stop the music"));
        assertThat(runsOfApp()).hasSize(1);
    }
}
