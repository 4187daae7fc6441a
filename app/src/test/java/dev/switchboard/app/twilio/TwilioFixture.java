package dev.switchboard.app.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.edge;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeTwilioServer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One app wired to Twilio for a test: its own account SID (so its messages on the shared fake
 * Twilio are its own), token and number; signs webhooks the way Twilio does — computed here with
 * HMAC-SHA1, independently of the SDK's RequestValidator the app uses.
 */
final class TwilioFixture {

    static final String APP_NUMBER = "+15005550006";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger MESSAGES = new AtomicInteger();

    final Api api;
    final String appId;
    final String accountSid;
    final String authToken;
    final String phoneNumber;

    private TwilioFixture(Api api, String appId, String accountSid, String authToken, String phoneNumber) {
        this.api = api;
        this.appId = appId;
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.phoneNumber = phoneNumber;
    }

    /** Creates and publishes an app from {@code graph}, sets its Twilio settings, stubs Twilio to accept messages. */
    static TwilioFixture create(Api api, Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", Map.of("name", "sms-" + UUID.randomUUID(), "graph", graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String appId = created.json().get("id").asString();
        Response published = api.post("/api/v1/apps/" + appId + "/publish", "");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        String sid = "AC" + HexFormat.of().formatHex(bytes(16));
        String token = HexFormat.of().formatHex(bytes(16));
        Response settings = api.put("/api/v1/apps/" + appId + "/twilio",
                Map.of("accountSid", sid, "authToken", token, "phoneNumber", APP_NUMBER));
        assertThat(settings.status()).as(settings.body()).isEqualTo(200);
        TwilioFixture fixture = new TwilioFixture(api, appId, sid, token, APP_NUMBER);
        fixture.stubMessages(fixture.created());
        return fixture;
    }

    /** input → transform "You said: {{trigger.Body}}" → sms (reply to the sender) → output. */
    static Map<String, Object> echoGraph() {
        return graph("You said: {{trigger.Body}}", Map.of());
    }

    static Map<String, Object> graph(String replyTemplate, Map<String, Object> smsConfig) {
        Map<String, Object> sms = new LinkedHashMap<>(Map.of("body", "{{t.text}}"));
        sms.putAll(smsConfig);
        return Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of()),
                        Map.of("id", "t", "type", "transform", "config", Map.of("template", replyTemplate)),
                        Map.of("id", "reply", "type", "sms", "config", sms),
                        Map.of("id", "out", "type", "output", "config",
                                Map.of("values", Map.of("sid", "{{reply.sid}}", "status", "{{reply.status}}")))),
                "edges", List.of(edge("in", "t"), edge("t", "reply"), edge("reply", "out")));
    }

    String messagesPath() {
        return "/2010-04-01/Accounts/" + accountSid + "/Messages.json";
    }

    /** Makes the fake Twilio answer this account's message requests with {@code response}. */
    void stubMessages(ResponseDefinitionBuilder response) {
        FakeTwilioServer.server().stubFor(messages().willReturn(response));
    }

    MappingBuilder messages() {
        return WireMock.post(urlPathEqualTo(messagesPath()));
    }

    /** Twilio's answer to an accepted message: the message resource, with a fresh sid each time. */
    ResponseDefinitionBuilder created() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                .withTransformers("response-template").withBody("""
                        {"sid": "SM{{randomValue length=32 type='HEXADECIMAL'}}", "account_sid": "%s", "status": "queued",
                         "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01"}"""
                        .formatted(accountSid));
    }

    /** A Twilio REST error answer. */
    static ResponseDefinitionBuilder error(int httpStatus, int code, String message) {
        return aResponse().withStatus(httpStatus).withHeader("Content-Type", "application/json").withBody("""
                {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}"""
                .formatted(code, message, code, httpStatus));
    }

    /** The message requests this account's app made, oldest first. */
    List<LoggedRequest> sent() {
        return FakeTwilioServer.server().findAll(postRequestedFor(urlPathEqualTo(messagesPath())));
    }

    static Map<String, String> formOf(LoggedRequest request) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    /** Parameters of an incoming SMS as Twilio posts them, with a fresh MessageSid. */
    Map<String, String> inbound(String from, String body) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ToCountry", "US");
        p.put("SmsMessageSid", "");
        p.put("NumMedia", "0");
        p.put("MessageSid", "SM" + HexFormat.of().formatHex(bytes(15)) + String.format("%02x", MESSAGES.incrementAndGet() % 256));
        p.put("AccountSid", accountSid);
        p.put("From", from);
        p.put("To", phoneNumber);
        p.put("Body", body);
        p.put("NumSegments", "1");
        p.put("ApiVersion", "2010-04-01");
        p.put("SmsMessageSid", p.get("MessageSid"));
        p.put("SmsSid", p.get("MessageSid"));
        p.put("SmsStatus", "received");
        return p;
    }

    String webhookUrl() {
        return api.base() + "/twilio/sms/" + appId;
    }

    /** Posts {@code params} to the SMS webhook, signed with the app's token. */
    Response deliver(Map<String, String> params) {
        return post("/twilio/sms/" + appId, params, sign(authToken, webhookUrl(), params));
    }

    /** Posts form {@code params} to {@code path} with the given signature (null: none). */
    Response post(String path, Map<String, String> params, String signature) {
        return api.withKey(null).send(path, b -> {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            if (signature != null) {
                b.header("X-Twilio-Signature", signature);
            }
            b.POST(HttpRequest.BodyPublishers.ofString(form(params)));
        });
    }

    /** Twilio's signature: base64(HMAC-SHA1(token, url + every name and value, sorted by name)). */
    static String sign(String authToken, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
