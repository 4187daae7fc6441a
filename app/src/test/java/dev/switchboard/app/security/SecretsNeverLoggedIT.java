package dev.switchboard.app.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.edge;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.FakeTwilioServer;
import dev.switchboard.app.support.IntegrationTest;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every secret the app holds — provider API keys, Twilio auth tokens, our own API keys, share
 * passcodes — stored, used, used wrongly and echoed back by failing services, while a Logback
 * appender on the root logger records every event the app writes (everything at DEBUG): none
 * of the secret strings appears in any message, argument, MDC value or exception (with causes
 * and suppressed ones). Responses show masked hints only.
 */
class SecretsNeverLoggedIT extends IntegrationTest {

    private static final String PROVIDER_SECRET = "sk-canary-provider-4f7d2a91c3e8";
    private static final String TWILIO_SECRET = "canarytwiliotoken9a8b7c6d5e4f3a21";
    private static final String PASSCODE = "canary-passcode-7315";

    private final Recorder recorder = new Recorder();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootBefore;

    @BeforeEach
    void recordAllLogs() {
        recorder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        recorder.start();
        root.addAppender(recorder);
        rootBefore = root.getLevel();
        root.setLevel(Level.DEBUG);
    }

    @AfterEach
    void stopRecording() {
        root.detachAppender(recorder);
        recorder.stop();
        root.setLevel(rootBefore);
    }

    @Test
    void noSecretEverReachesTheLogs() {
        Response workspace = api.post("/api/v1/workspaces", Map.of("name", "secrets-" + UUID.randomUUID()));
        assertThat(workspace.status()).as(workspace.body()).isEqualTo(201);
        String adminSecret = workspace.json().get("adminKey").get("secret").asString();
        Api ws = api.withKey(adminSecret);
        List<String> secrets = new ArrayList<>(List.of(PROVIDER_SECRET, TWILIO_SECRET, PASSCODE, adminSecret, ADMIN_KEY));

        secrets.add(apiKeys(ws));
        providerKey(ws);
        twilioToken(ws);
        sharePasscode(ws);
        hostileBodies(ws);

        assertThat(recorder.events).as("the recorder saw the app at work").hasSizeGreaterThan(20);
        List<String> leaks = new ArrayList<>();
        for (String event : recorder.events) {
            for (String secret : secrets) {
                if (event.contains(secret) || event.contains(secret.substring(0, secret.length() - 4))) {
                    leaks.add("«" + secret + "» in: " + event);
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    /** A key created, used, used wrongly (in a malformed header), revoked and used again; returns its secret. */
    private String apiKeys(Api ws) {
        Response created = ws.post("/api/v1/keys", Map.of("name", "canary", "role", "build"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().get("secret").asString();
        assertThat(ws.get("/api/v1/keys").body()).doesNotContain(secret);
        assertThat(api.withKey(secret).get("/api/v1/apps").status()).isEqualTo(200);
        assertThat(api.withKey(secret + "x").get("/api/v1/apps").status()).isEqualTo(401);
        assertThat(api.withKey(null).send("/api/v1/apps", b -> b.header("Authorization", "Basic " + secret)).status())
                .isEqualTo(401);
        assertThat(ws.delete("/api/v1/keys/" + created.json().get("id").asString()).status()).isEqualTo(200);
        assertThat(api.withKey(secret).get("/api/v1/apps").status()).isEqualTo(401);
        return secret;
    }

    /** The workspace's own key for the fake provider, sent to a provider that answers 401 quoting it. */
    private void providerKey(Api ws) {
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("canary-echo")))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Incorrect API key provided: " + PROVIDER_SECRET
                                + "\",\"type\":\"invalid_request_error\"}}")));
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("canary-echo")))
                .willReturn(aResponse().withStatus(500).withBody("upstream saw key " + PROVIDER_SECRET)));
        Response stored = ws.put("/api/v1/providers/fake/credentials", Map.of("apiKey", PROVIDER_SECRET));
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.body()).doesNotContain(PROVIDER_SECRET);
        assertThat(ws.get("/api/v1/providers/fake/credentials").body()).doesNotContain(PROVIDER_SECRET);
        assertThat(ws.get("/api/v1/providers").body()).doesNotContain(PROVIDER_SECRET);

        Map<String, Object> graph = Map.of("nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(Map.of("name", "text", "type", "text")))),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", "fake/canary-echo", "prompt", "{{in.text}}")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("a", "{{ai.text}}")))),
                "edges", List.of(edge("in", "ai"), edge("ai", "out")));
        String appId = ws.post("/api/v1/apps", app("canary-ai", graph)).json().get("id").asString();
        Response run = ws.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "hi")));
        assertThat(run.json().get("status").asString()).as(run.body()).isEqualTo("failed");
        assertThat(run.body()).doesNotContain(PROVIDER_SECRET);
        Response chat = ws.post("/v1/chat/completions", Map.of("model", "fake/canary-echo",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(chat.status()).isGreaterThanOrEqualTo(400);
        assertThat(chat.body()).doesNotContain(PROVIDER_SECRET);
        Response completion = ws.post("/v1/completions", Map.of("model", "fake/canary-echo", "prompt", "hi"));
        assertThat(completion.body()).doesNotContain(PROVIDER_SECRET);
    }

    /** An app's Twilio token: stored, used to check signed and forged webhooks, sent to a Twilio that rejects it. */
    private void twilioToken(Api ws) {
        Map<String, Object> graph = Map.of("nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of()),
                        Map.of("id", "reply", "type", "sms", "config", Map.of("body", "You said {{trigger.Body}}")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("s", "{{reply.status}}")))),
                "edges", List.of(edge("in", "reply"), edge("reply", "out")));
        String appId = ws.post("/api/v1/apps", app("canary-sms", graph)).json().get("id").asString();
        assertThat(ws.post("/api/v1/apps/" + appId + "/publish", "").status()).isEqualTo(200);
        String sid = "AC" + UUID.randomUUID().toString().replace("-", "");
        Response settings = ws.put("/api/v1/apps/" + appId + "/twilio", Map.of("accountSid", sid,
                "authToken", TWILIO_SECRET, "phoneNumber", "+15005550006"));
        assertThat(settings.status()).as(settings.body()).isEqualTo(200);
        assertThat(settings.body()).doesNotContain(TWILIO_SECRET);
        assertThat(ws.get("/api/v1/apps/" + appId + "/twilio").body()).doesNotContain(TWILIO_SECRET);
        // Twilio refuses the credentials and quotes them back
        FakeTwilioServer.server().stubFor(post(urlPathEqualTo("/2010-04-01/Accounts/" + sid + "/Messages.json"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\": 20003, \"message\": \"Authenticate: bad token " + TWILIO_SECRET
                                + "\", \"status\": 401}")));

        String url = api.base() + "/twilio/sms/" + appId;
        Map<String, String> params = new LinkedHashMap<>(Map.of("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""),
                "AccountSid", sid, "From", "+14155550100", "To", "+15005550006", "Body", "hello"));
        Response signed = form(url, params, sign(TWILIO_SECRET, url, params));
        assertThat(signed.status()).as(signed.body()).isLessThan(300);
        params.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
        assertThat(form(url, params, sign(TWILIO_SECRET + "x", url, params)).status()).isEqualTo(403);
        awaitRunFinished(ws, appId);
    }

    /** A share link with a passcode: unlocked with a wrong and the right passcode, run with the header. */
    private void sharePasscode(Api ws) {
        String appId = ws.post("/api/v1/apps", app("canary-share", greeting())).json().get("id").asString();
        String shareUrl = ws.post("/api/v1/apps/" + appId + "/publish", "").json().get("shareUrl").asString();
        Response set = ws.put("/api/v1/apps/" + appId + "/share", Map.of("passcode", PASSCODE));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.body()).doesNotContain(PASSCODE);
        String path = shareUrl.substring(shareUrl.indexOf("/s/"));
        Api anonymous = api.withKey(null);
        for (String attempt : List.of(PASSCODE + "-wrong", PASSCODE)) {
            anonymous.send(path + "/unlock", b -> b.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("passcode=" + URLEncoder.encode(attempt, StandardCharsets.UTF_8))));
        }
        Response run = anonymous.send(path + "/run", b -> b.header("Content-Type", "application/json")
                .header("X-Share-Passcode", PASSCODE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"text\": \"Ada\"}}")));
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        Response wrong = anonymous.send(path + "/run", b -> b.header("Content-Type", "application/json")
                .header("X-Share-Passcode", PASSCODE + "-nope")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"text\": \"Ada\"}}")));
        assertThat(wrong.status()).isEqualTo(403);
    }

    /** Requests the API refuses, each carrying a secret: malformed JSON, wrong types, invalid fields. */
    private void hostileBodies(Api ws) {
        List<Response> refused = List.of(
                ws.put("/api/v1/providers/fake/credentials", "{\"apiKey\": \"" + PROVIDER_SECRET + "\""),
                ws.put("/api/v1/providers/fake/credentials", "{\"apiKey\": [\"" + PROVIDER_SECRET + "\"]}"),
                ws.put("/api/v1/providers/fake/credentials", "{\"apiKey\": \"" + PROVIDER_SECRET + "\u0001\"}"),
                ws.put("/api/v1/providers/fake/credentials", "{\"apiKey\": " + PROVIDER_SECRET + "}"),
                ws.put("/api/v1/providers/fake/credentials", Map.of("apiKey", PROVIDER_SECRET + " pasted with a space\n")),
                ws.put("/api/v1/providers/canary", Map.of("baseUrl", "ftp://host/", "apiKey", PROVIDER_SECRET + " x")),
                ws.put("/api/v1/apps/" + UUID.randomUUID() + "/twilio", Map.of("accountSid", "nope",
                        "authToken", TWILIO_SECRET, "phoneNumber", "x")),
                ws.put("/api/v1/apps/" + UUID.randomUUID() + "/share", "{\"passcode\": \"" + PASSCODE + "\", \"bad\": true}"),
                ws.put("/api/v1/apps/" + UUID.randomUUID() + "/share", "{\"passcode\": " + PASSCODE + "}"));
        for (Response r : refused) {
            assertThat(r.status()).as(r.toString()).isBetween(400, 499);
            assertThat(r.body()).doesNotContain(PROVIDER_SECRET, TWILIO_SECRET);
        }
    }

    // ------------------------------------------------------------------ helpers

    private Response form(String url, Map<String, String> params, String signature) {
        StringBuilder body = new StringBuilder();
        params.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return api.withKey(null).send(url.substring(api.base().length()), b -> b
                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** Twilio's signature, computed here independently: base64(HMAC-SHA1(token, url + sorted name/value pairs)). */
    private static String sign(String token, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitRunFinished(Api ws, String appId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            var items = ws.get("/api/v1/runs?appId=" + appId).json().get("items");
            if (items != null && !items.isEmpty() && !List.of("queued", "running").contains(items.get(0).get("status").asString())) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the SMS run of app " + appId + " did not finish");
    }

    /** Renders each event completely: logger, message, arguments, MDC, key-value pairs, throwables with causes. */
    private static final class Recorder extends AppenderBase<ILoggingEvent> {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent e) {
            StringBuilder sb = new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object arg : e.getArgumentArray()) {
                    sb.append(" | arg ").append(arg);
                }
            }
            e.getMDCPropertyMap().forEach((k, v) -> sb.append(" | mdc ").append(k).append('=').append(v));
            if (e.getKeyValuePairs() != null) {
                e.getKeyValuePairs().forEach(kv -> sb.append(" | kv ").append(kv.key).append('=').append(kv.value));
            }
            IThrowableProxy t = e.getThrowableProxy();
            if (t != null) {
                sb.append('\n').append(ThrowableProxyUtil.asString(t));
            }
            events.add(sb.toString());
        }
    }
}
