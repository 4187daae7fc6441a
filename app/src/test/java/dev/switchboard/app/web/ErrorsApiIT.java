package dev.switchboard.app.web;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** Every error is RFC 9457 problem+json with status, code and detail, and never a stack trace. */
class ErrorsApiIT extends IntegrationTest {

    private static void assertProblem(Response r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("status").asInt()).isEqualTo(status);
        assertThat(r.json().get("code").asString()).isEqualTo(code);
        assertThat(r.json().get("title").asString()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception", "\tat ", "org.springframework", "tools.jackson");
    }

    @Test
    void malformedJsonIs400() {
        Response r = api.post("/api/v1/apps", "{\"name\": \"x\", \"graph\": {");
        assertProblem(r, 400, "malformed-body");
        assertThat(r.json().get("detail").asString()).contains("line 1");
    }

    @Test
    void aBodyOfTheWrongShapeIs400NamingTheField() {
        Response r = api.post("/api/v1/apps", "{\"name\": [1, 2], \"graph\": {}}");
        assertProblem(r, 400, "malformed-body");
        assertThat(r.json().get("detail").asString()).contains("name");
    }

    @Test
    void aMissingBodyIs400() {
        assertProblem(api.send("/api/v1/apps", b -> b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())), 400, "malformed-body");
    }

    @Test
    void wrongMediaTypeIs415AndWrongMethodIs405() {
        assertProblem(api.send("/api/v1/apps", b -> b.header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))), 415, "unsupported-media-type");
        Response patch = api.send("/api/v1/apps", b -> b.method("PATCH", HttpRequest.BodyPublishers.noBody()));
        assertProblem(patch, 405, "method-not-allowed");
        assertThat(patch.header("Allow")).contains("POST");
    }

    @Test
    void theApiSpeaksJsonOnly() {
        Response xml = api.send("/api/v1/apps", b -> b.header("Accept", "application/xml"));
        assertThat(xml.status()).isEqualTo(406);
        assertThat(xml.body()).doesNotStartWith("<");
        Response json = api.send("/api/v1/apps", b -> b.header("Accept", "application/json"));
        assertThat(json.status()).isEqualTo(200);
        assertThat(json.contentType()).startsWith("application/json");
    }

    @Test
    void unknownPathsAre404() {
        assertProblem(api.get("/api/v1/nothing-here"), 404, "not-found");
        assertProblem(api.get("/no-such-page"), 404, "not-found");
    }

    @Test
    void aBodyOverOneMebibyteIs413WithContentLength() {
        String big = "{\"name\": \"" + "a".repeat(1024 * 1024) + "\", \"graph\": {}}";
        Response r = api.post("/api/v1/apps", big);
        assertProblem(r, 413, "body-too-large");
    }

    @Test
    void aChunkedBodyOverOneMebibyteIs413() {
        byte[] big = ("{\"name\": \"" + "a".repeat(1024 * 1024 + 10) + "\", \"graph\": {}}").getBytes(StandardCharsets.UTF_8);
        // a publisher of unknown length makes the client send Transfer-Encoding: chunked
        HttpRequest.BodyPublisher chunked = new HttpRequest.BodyPublisher() {
            private final HttpRequest.BodyPublisher delegate = HttpRequest.BodyPublishers.ofByteArray(big);

            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                delegate.subscribe(subscriber);
            }
        };
        Response r = api.send("/api/v1/apps", b -> b.header("Content-Type", "application/json").POST(chunked));
        assertProblem(r, 413, "body-too-large");
    }

    @Test
    void aBodyJustUnderTheLimitIsAccepted() {
        String name = "ok";
        String padding = " ".repeat(1024 * 1024 - 2000);
        Response r = api.post("/api/v1/apps", "{\"name\": \"" + name + "\"," + padding + "\"graph\": "
                + Api.JSON.writeValueAsString(greeting()) + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void missingMalformedAndUnknownKeysAre401() {
        Api anonymous = api.withKey(null);
        Response none = anonymous.get("/api/v1/apps");
        assertProblem(none, 401, "unauthorized");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertProblem(anonymous.send("/api/v1/apps", b -> b.header("Authorization", "Basic dXNlcjpwYXNz")), 401, "unauthorized");
        assertProblem(api.withKey("sb_not-a-real-key").get("/api/v1/apps"), 401, "unauthorized");
        assertProblem(api.withKey("sb_not-a-real-key").post("/api/v1/apps", app("x", greeting())), 401, "unauthorized");
        assertProblem(anonymous.get("/api/v1/runs/" + java.util.UUID.randomUUID()), 401, "unauthorized");
    }

    @Test
    void healthPrometheusAndApiDocsArePublic() {
        Api anonymous = api.withKey(null);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/prometheus").status()).isEqualTo(200);
        Response docs = anonymous.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        for (String path : List.of("/api/v1/apps", "/api/v1/apps/{appId}/runs", "/api/v1/runs/{runId}", "/api/v1/keys")) {
            assertThat(docs.json().get("paths").has(path)).as(path).isTrue();
        }
        assertThat(docs.body()).doesNotContain("\"caller\"");
        assertThat(anonymous.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
