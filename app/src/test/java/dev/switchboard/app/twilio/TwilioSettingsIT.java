package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/apps/{id}/twilio}: settings, the write-only token, validation, roles. */
@ExtendWith(OutputCaptureExtension.class)
class TwilioSettingsIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    LoggingSystem logging;

    @Test
    void theTokenIsStoredSealedAndOnlyEverReturnedMasked() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());

        Response got = api.get("/api/v1/apps/" + twilio.appId + "/twilio");

        assertThat(got.status()).isEqualTo(200);
        JsonNode settings = got.json();
        assertThat(settings.get("accountSid").asString()).isEqualTo(twilio.accountSid);
        assertThat(settings.get("phoneNumber").asString()).isEqualTo(TwilioFixture.APP_NUMBER);
        assertThat(settings.get("authToken").asString())
                .isEqualTo("****" + twilio.authToken.substring(twilio.authToken.length() - 4));
        assertThat(got.body()).doesNotContain(twilio.authToken);
        assertThat(settings.get("webhookUrl").asString()).isEqualTo(api.base() + "/twilio/sms/" + twilio.appId);
        assertThat(settings.get("statusCallbackUrl").asString()).isEqualTo(api.base() + "/twilio/status/" + twilio.appId);
        String stored = jdbc.queryForObject("SELECT auth_token FROM twilio_settings WHERE app_id = ?::uuid", String.class,
                twilio.appId);
        assertThat(stored).startsWith("v1:").doesNotContain(twilio.authToken);
    }

    @Test
    void theTokenNeverReachesTheLogsEvenAtDebugLevel(CapturedOutput output) {
        List<String> loggers = List.of("com.twilio", "dev.switchboard.app.twilio", "org.springframework.web");
        loggers.forEach(l -> logging.setLogLevel(l, LogLevel.DEBUG));
        try {
            TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
            twilio.deliver(twilio.inbound("+14155550111", "log me"));
            twilio.post("/twilio/sms/" + twilio.appId, twilio.inbound("+14155550111", "forged"), "forged");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> twilio.sent().size() == 1);
            twilio.stubMessages(TwilioFixture.error(401, 20003, "Authenticate"));
            twilio.deliver(twilio.inbound("+14155550111", "again"));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> twilio.sent().size() == 2);

            assertThat(output.getAll()).contains(twilio.appId).doesNotContain(twilio.authToken);
        } finally {
            loggers.forEach(l -> logging.setLogLevel(l, null));
        }
    }

    @Test
    void leavingTheTokenOutKeepsTheStoredOneButANewAppNeedsOne() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());

        Response changed = api.put("/api/v1/apps/" + twilio.appId + "/twilio", Map.of("accountSid", twilio.accountSid,
                "phoneNumber", "+1 (415) 555-0177"));

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(changed.json().get("phoneNumber").asString()).isEqualTo("+14155550177");
        assertThat(twilio.deliver(twilio.inbound("+14155550100", "still signed with the old token")).status())
                .isEqualTo(200);

        String other = api.post("/api/v1/apps", Map.of("name", "t-" + UUID.randomUUID(), "graph",
                TwilioFixture.echoGraph())).json().get("id").asString();
        Response missing = api.put("/api/v1/apps/" + other + "/twilio", Map.of("accountSid", twilio.accountSid,
                "phoneNumber", "+14155550177"));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("errors").get(0).get("field").asString()).isEqualTo("authToken");
    }

    @Test
    void invalidSettingsAreRefusedWithEveryProblem() {
        String appId = api.post("/api/v1/apps", Map.of("name", "t-" + UUID.randomUUID(), "graph",
                TwilioFixture.echoGraph())).json().get("id").asString();

        Response r = api.put("/api/v1/apps/" + appId + "/twilio", Map.of("accountSid", "not-a-sid",
                "authToken", "has space", "phoneNumber", "call me"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors")).extracting(e -> e.get("field").asString())
                .containsExactlyInAnyOrder("accountSid", "authToken", "phoneNumber");
        assertThat(api.get("/api/v1/apps/" + appId + "/twilio").status()).isEqualTo(404);
        assertThat(api.put("/api/v1/apps/" + UUID.randomUUID() + "/twilio", Map.of("accountSid", "AC123",
                "authToken", "t", "phoneNumber", "+14155550100")).status()).isEqualTo(404);
    }

    @Test
    void aRunKeyMayReadButNotChangeSettingsAndDeletingThemClosesTheWebhook() {
        TwilioFixture twilio = TwilioFixture.create(api, TwilioFixture.echoGraph());
        String runKey = api.post("/api/v1/keys", Map.of("name", "runner", "role", "run")).json().get("secret").asString();
        Api runner = api.withKey(runKey);

        assertThat(runner.get("/api/v1/apps/" + twilio.appId + "/twilio").status()).isEqualTo(200);
        assertThat(runner.put("/api/v1/apps/" + twilio.appId + "/twilio", Map.of("accountSid", twilio.accountSid,
                "phoneNumber", "+14155550100")).status()).isEqualTo(403);
        assertThat(runner.delete("/api/v1/apps/" + twilio.appId + "/twilio").status()).isEqualTo(403);

        assertThat(api.delete("/api/v1/apps/" + twilio.appId + "/twilio").status()).isEqualTo(204);
        assertThat(twilio.deliver(twilio.inbound("+14155550100", "anyone?")).status()).isEqualTo(404);
    }
}
