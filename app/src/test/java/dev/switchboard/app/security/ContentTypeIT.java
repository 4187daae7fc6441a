package dev.switchboard.app.security;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Strict Content-Type on every public endpoint: the JSON API refuses a body that is not declared
 * JSON with 415 problem+json — also where the endpoint ignores bodies — and never parses a form as
 * JSON; Twilio webhooks take only {@code application/x-www-form-urlencoded}; share pages take a
 * form or JSON and nothing else. A refused request changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContentTypeIT extends IntegrationTest {

    private static final List<String> NOT_JSON = List.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz", "application/xml", "text/json-ish", "application/jsonp", "");

    @Autowired
    JdbcTemplate jdbc;

    private Api admin;
    private String appId;
    private String sharePath;

    @BeforeAll
    void anApp() {
        admin = new Api("http://127.0.0.1:" + port, ADMIN_KEY);
        appId = admin.post("/api/v1/apps", app("content-type-" + UUID.randomUUID(), greeting())).json().get("id").asString();
        String url = admin.post("/api/v1/apps/" + appId + "/publish", "").json().get("shareUrl").asString();
        sharePath = url.substring(url.indexOf("/s/"));
    }

    Stream<Arguments> jsonEndpoints() {
        String app = "/api/v1/apps/" + appId;
        return Stream.of("POST /api/v1/apps", "PUT " + app, "POST " + app + "/runs", "POST " + app + "/runs?mode=async",
                "POST " + app + "/publish", "PUT " + app + "/share", "POST " + app + "/share/rotate",
                "PUT " + app + "/twilio", "POST " + app + "/tests", "PUT " + app + "/settings", "POST " + app + "/test-runs",
                "POST /api/v1/experiments", "POST /api/v1/keys", "POST /api/v1/workspaces",
                "PUT /api/v1/providers/fake/credentials", "PUT /api/v1/providers/mine", "PUT /api/v1/budget",
                "POST /api/v1/reviews/" + UUID.randomUUID() + "/approve", "POST /api/v1/runs/" + UUID.randomUUID() + "/cancel",
                "POST /v1/chat/completions", "POST /v1/completions")
                .flatMap(endpoint -> NOT_JSON.stream().map(type -> Arguments.of(endpoint, type)));
    }

    @ParameterizedTest(name = "{0} as ''{1}''")
    @MethodSource("jsonEndpoints")
    void theJsonApiRefusesBodiesThatAreNotJson(String endpoint, String contentType) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1);
        // a body that would be valid if it were read as JSON (or, for the form type, as a form)
        String body = contentType.startsWith("application/x-www-form") ? "name=sneaky&graph=x&inputs=y"
                : "{\"name\": \"sneaky\", \"inputs\": {\"text\": \"x\"}}";
        long apps = jdbc.queryForObject("SELECT count(*) FROM apps", Long.class);
        long versions = jdbc.queryForObject("SELECT count(*) FROM app_versions", Long.class);

        Response r = admin.send(path, b -> {
            if (!contentType.isEmpty()) {
                b.header("Content-Type", contentType);
            }
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        });

        assertThat(r.status()).as(endpoint + " → " + r).isEqualTo(415);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apps", Long.class)).isEqualTo(apps);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM app_versions", Long.class)).isEqualTo(versions);
    }

    @Test
    void jsonWithACharsetOrAVendorSuffixAndBodilessPostsAreAccepted() {
        Response charset = admin.send("/api/v1/apps/" + appId + "/runs", b -> b
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"text\": \"Ada\"}}")));
        assertThat(charset.status()).as(charset.body()).isEqualTo(200);
        Response vendor = admin.send("/api/v1/apps/" + appId + "/runs", b -> b
                .header("Content-Type", "application/vnd.switchboard+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"text\": \"Ada\"}}")));
        assertThat(vendor.status()).as(vendor.body()).isEqualTo(200);
        Response bodiless = admin.send("/api/v1/apps/" + appId + "/publish", b -> b
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(bodiless.status()).as(bodiless.body()).isEqualTo(200);
    }

    @Test
    void theOpenAiCompatibleApiAnswersInItsOwnErrorShape() {
        Response r = admin.send("/v1/chat/completions", b -> b.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("model=fake/x&messages=hi")));
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.json().get("error").get("code").asString()).isEqualTo("unsupported_media_type");
    }

    @Test
    void twilioWebhooksTakeOnlyForms() {
        for (String type : List.of("application/json", "text/plain", "multipart/form-data; boundary=x", "application/xml")) {
            for (String hook : List.of("/twilio/sms/", "/twilio/status/")) {
                Response r = admin.withKey(null).send(hook + appId, b -> b.header("Content-Type", type)
                        .header("X-Twilio-Signature", "AAAA")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"Body\": \"hi\", \"From\": \"+14155550100\"}")));
                assertThat(r.status()).as(hook + " as " + type + " → " + r).isEqualTo(415);
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM runs WHERE app_id = ?::uuid AND source = 'twilio'", Long.class,
                appId)).isZero();
    }

    @Test
    void anOversizedFormWithoutContentLengthIsRefusedByEveryPublicEndpoint() {
        assertThat(admin.put("/api/v1/apps/" + appId + "/twilio", Map.of("accountSid", "AC" + "5".repeat(32),
                "authToken", "content-type-token-0123", "phoneNumber", "+15005550006")).status()).isEqualTo(200);
        for (String path : List.of("/twilio/sms/" + appId, sharePath + "/run")) {
            Response r = admin.withKey(null).send(path, b -> b.header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", "AAAA").POST(chunked("Body=" + "x".repeat(2 * 1024 * 1024))));
            assertThat(r.status()).as(path + " → " + r).isEqualTo(413);
            // a share page's form post gets an HTML page (a browser shows it); the webhook problem+json
            assertThat(r.contentType()).startsWith(path.startsWith("/s/") ? "text/html" : "application/problem+json");
        }
    }

    /** A body publisher of unknown length: the client sends it with Transfer-Encoding: chunked. */
    private static HttpRequest.BodyPublisher chunked(String body) {
        HttpRequest.BodyPublisher known = HttpRequest.BodyPublishers.ofString(body);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                known.subscribe(subscriber);
            }
        };
    }

    @Test
    void sharePagesTakeAFormOrJsonAndNothingElse() {
        Api anonymous = admin.withKey(null);
        Response json = anonymous.send(sharePath + "/run", b -> b.header("Content-Type", "application/json")
                .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"text\": \"Ada\"}}")));
        assertThat(json.status()).as(json.body()).isEqualTo(200);
        Response form = anonymous.send(sharePath + "/run", b -> b.header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("text=Ada")));
        assertThat(form.status()).as(form.body()).isEqualTo(200);
        for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x")) {
            Response r = anonymous.send(sharePath + "/run", b -> b.header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": {\"text\": \"Ada\"}}")));
            assertThat(r.status()).as(type + " → " + r).isEqualTo(415);
        }
    }
}
