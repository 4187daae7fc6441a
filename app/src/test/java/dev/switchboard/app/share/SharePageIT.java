package dev.switchboard.app.share;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.SseEvent;
import dev.switchboard.app.support.TestGraphs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** The public page over plain HTTP: the form, runs in every mode, what is refused and how. */
class SharePageIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    ShareClient share;

    @BeforeEach
    void client() {
        share = new ShareClient(api);
    }

    private long runsOf(String path) {
        String token = path.substring(3);
        return jdbc.queryForObject("""
                SELECT count(*) FROM runs r JOIN share_links s ON s.app_id = r.app_id
                WHERE s.token_hash = decode(?, 'hex')""", Long.class,
                java.util.HexFormat.of().formatHex(ShareTokens.sha256(token)));
    }

    @Test
    void thePageIsAFormFromTheInputFieldsWithStrictSecurityHeaders() {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "review", "type", "text", "required", true, "maxLength", 2000,
                                        "label", "Your review", "help", "Paste a customer review."),
                                Map.of("name", "name", "type", "text", "maxLength", 40),
                                Map.of("name", "stars", "type", "number"),
                                Map.of("name", "urgent", "type", "boolean", "default", true),
                                Map.of("name", "meta", "type", "json")))),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("echo", "{{in.review}}")))),
                "edges", List.of(TestGraphs.edge("in", "out")));
        String path = share.publish(share.createApp("Review <b>helper</b>", "Tells you \"what\" & why.", graph));

        Response page = share.get(path);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html").contains("UTF-8");
        String html = page.body();
        assertThat(html).contains("<h1 id=\"app-name\">Review &lt;b&gt;helper&lt;/b&gt;</h1>")
                .contains("Tells you &quot;what&quot; &amp; why.")
                .contains("<label for=\"f-review\">Your review</label>")
                .contains("Paste a customer review.")
                .containsPattern("<textarea id=\"f-review\" name=\"review\" rows=\"\\d\" maxlength=\"2000\" required")
                .containsPattern("<input type=\"text\" id=\"f-name\" name=\"name\" value=\"\" maxlength=\"40\"")
                .contains("type=\"number\"")
                .containsPattern("<input type=\"checkbox\" id=\"f-urgent\" name=\"urgent\" value=\"true\" checked")
                .containsPattern("<textarea class=\"mono\" id=\"f-meta\" name=\"meta\"")
                .contains("(optional)")
                .contains("aria-live=\"polite\"");
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain(" style=")
                .doesNotContainPattern("\\son[a-z]+=");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'").contains("script-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Permissions-Policy")).contains("camera=()").contains("microphone=()");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(html).doesNotContain(ADMIN_KEY).doesNotContain("sk-fake-provider-key").doesNotContain("Bearer");

        Response css = share.get("/share-assets/share.css");
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.contentType()).startsWith("text/css");
        assertThat(css.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(share.get("/share-assets/share.js").contentType()).contains("javascript");
    }

    @Test
    void aPlainFormPostRunsThePublishedVersionAndShowsTheResultPage() {
        String appId = share.createApp(greeting());
        String path = share.publish(appId);

        Response result = share.postForm(path + "/run", Map.of("text", "Ada <3"));

        assertThat(result.status()).as(result.body()).isEqualTo(200);
        assertThat(result.contentType()).startsWith("text/html");
        assertThat(result.body()).contains("Hello, Ada &lt;3!").contains("Done.").contains("data-state=\"done\"")
                .contains("value=\"Ada &lt;3\"");
        JsonNode runs = api.get("/api/v1/runs?appId=" + appId + "&source=share").json().get("items");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).get("source").asString()).isEqualTo("share");
        assertThat(runs.get(0).get("version").asInt()).isEqualTo(1);
        assertThat(result.body()).contains(runs.get(0).get("id").asString());
    }

    @Test
    void aJsonRunAnswersOnlyThePublicResult() {
        String path = share.sharedGreeting();

        Response result = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "Bo")), "Accept", "application/json");

        assertThat(result.status()).isEqualTo(200);
        JsonNode body = result.json();
        assertThat(body.get("status").asString()).isEqualTo("succeeded");
        assertThat(body.get("outputs").get("greeting").asString()).isEqualTo("Hello, Bo!");
        assertThat(body.get("reference").asString()).hasSize(36);
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("status", "outputs", "message", "reference");
    }

    @Test
    void aStreamedRunSendsTokensOfShownAiTextThenTheResultAndNoTrace() {
        String chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"share-stream\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";
        String sse = chunk.formatted("Bon") + chunk.formatted("jour") + "data: [DONE]\n\n";
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("share-stream")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(sse)));
        String path = share.publish(share.createApp(TestGraphs.chat("fake/share-stream", Map.of())));

        List<SseEvent> events = SseEvent.parse(share.stream(path + "/run", Map.of("inputs", Map.of("text", "x"))));

        assertThat(events.stream().map(SseEvent::name).distinct().toList()).containsExactly("run", "token", "done");
        assertThat(events.stream().filter(e -> e.name().equals("token")).map(e -> e.json().get("text").asString()))
                .containsExactly("Bon", "jour");
        JsonNode done = events.getLast().json();
        assertThat(done.get("status").asString()).isEqualTo("succeeded");
        assertThat(done.get("outputs").get("answer").asString()).isEqualTo("Bonjour");
        assertThat(done.has("trace")).isFalse();
        assertThat(String.join("\n", events.stream().map(SseEvent::data).toList()))
                .doesNotContain("Say: x").doesNotContain("share-stream").doesNotContain("prompt");
    }

    @Test
    void aiTextAPolicyStillChecksIsNotStreamedAndABlockShowsThePolicysMessage() {
        String chunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"share-policed\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("share-policed")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1,"model":"share-policed",
                         "choices":[{"index":0,"message":{"role":"assistant","content":"Try Globex."},"finish_reason":"stop"}],
                         "usage":{"prompt_tokens":3,"completion_tokens":3,"total_tokens":6}}""")));
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("share-policed")))
                .withRequestBody(matchingJsonPath("$[?(@.stream == true)]"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody(chunk.formatted("Try Globex, ") + chunk.formatted("they are cheaper.") + "data: [DONE]\n\n")));
        Map<String, Object> graph = Map.of(
                "nodes", List.of(TestGraphs.input(),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", "fake/share-policed",
                                "messages", List.of(Map.of("role", "user", "content", "{{in.text}}")))),
                        Map.of("id", "clean", "type", "policy.blocklist", "config", Map.of("text", "{{ai.text}}",
                                "terms", List.of("Globex"), "action", "block", "message", "That answer named a competitor.")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{ai.text}}")))),
                "edges", List.of(TestGraphs.edge("in", "ai"), TestGraphs.edge("ai", "clean"), TestGraphs.edge("clean", "out")));
        String path = share.publish(share.createApp(graph));

        List<SseEvent> events = SseEvent.parse(share.stream(path + "/run", Map.of("inputs", Map.of("text", "where to buy?"))));

        assertThat(events.stream().map(SseEvent::name).toList()).containsExactly("run", "done");
        JsonNode done = events.getLast().json();
        assertThat(done.get("status").asString()).isEqualTo("blocked");
        assertThat(done.get("message").asString()).isEqualTo("That answer named a competitor.");
        assertThat(done.get("outputs").isEmpty()).isTrue();
        assertThat(String.join("\n", events.stream().map(SseEvent::data).toList())).doesNotContain("Globex");

        Response page = share.postForm(path + "/run", Map.of("text", "where to buy?"));
        assertThat(page.body()).contains("Blocked.").contains("That answer named a competitor.").doesNotContain("Globex");
    }

    @Test
    void smuggledGraphsVersionsModelsAndUnknownFieldsAreRefusedAndRunNothing() {
        String path = share.sharedGreeting();
        Map<String, Object> evil = Map.of("nodes", List.of(Map.of("id", "in", "type", "input")), "edges", List.of());

        for (String key : List.of("graph", "version", "model", "config", "appId", "trigger")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("inputs", Map.of("text", "x"));
            body.put(key, key.equals("graph") ? evil : "draft");
            Response r = share.postJson(path + "/run", body);
            assertThat(r.status()).as(key).isEqualTo(422);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo(key);
        }
        Response unknownInput = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "x", "graph", evil)));
        assertThat(unknownInput.status()).isEqualTo(422);
        assertThat(unknownInput.json().get("errors").get(0).get("code").asString()).isEqualTo("unknown_input");
        Response inputsNotAnObject = share.postJson(path + "/run", Map.of("inputs", List.of("x")));
        assertThat(inputsNotAnObject.status()).isEqualTo(422);
        Response malformed = share.postRaw(path + "/run", "application/json", "{\"inputs\": ");
        assertThat(malformed.status()).isEqualTo(422);

        Response formSmuggle = share.postForm(path + "/run", Map.of("text", "x", "version", "draft"));
        assertThat(formSmuggle.status()).isEqualTo(422);
        assertThat(formSmuggle.contentType()).startsWith("text/html");
        assertThat(formSmuggle.body()).contains("&#39;version&#39; is not an input of this app");
        Response twice = share.postRaw(path + "/run", "application/x-www-form-urlencoded", "text=a&text=b");
        assertThat(twice.status()).isEqualTo(422);
        Response xml = share.postRaw(path + "/run", "application/xml", "<graph/>");
        assertThat(xml.status()).isEqualTo(415);

        assertThat(runsOf(path)).isZero();
    }

    @Test
    void invalidInputsReShowTheFormWithMessagesNextToTheFields() {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "text", "type", "text", "required", true, "maxLength", 5),
                                Map.of("name", "count", "type", "number"),
                                Map.of("name", "data", "type", "json")))),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("t", "{{in.text}}")))),
                "edges", List.of(TestGraphs.edge("in", "out")));
        String path = share.publish(share.createApp(graph));

        Response missing = share.postForm(path + "/run", Map.of("text", "", "count", "many", "data", "{oops"));

        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("Please fill in Text.").contains("Please enter a number.")
                .contains("This is not valid JSON").contains("aria-invalid=\"true\"")
                .contains("Please check the highlighted fields.").contains(">{oops</textarea>")
                .contains("value=\"many\"");
        Response tooLong = share.postForm(path + "/run", Map.of("text", "abcdef"));
        assertThat(tooLong.body()).contains("This is too long: Text takes at most 5 characters.");
        Response json = share.postJson(path + "/run", Map.of("inputs", Map.of()));
        assertThat(json.status()).isEqualTo(422);
        assertThat(json.json().get("errors").get(0).get("field").asString()).isEqualTo("inputs.text");
        assertThat(json.json().get("errors").get(0).get("code").asString()).isEqualTo("required");
        assertThat(runsOf(path)).isZero();
    }

    @Test
    void unknownRevokedAndExpiredLinksAllGetTheSameNotFoundPage() {
        String revokedApp = share.createApp(greeting());
        String revoked = share.publish(revokedApp);
        api.delete("/api/v1/apps/" + revokedApp + "/share");
        String expiredApp = share.createApp(greeting());
        String expired = share.publish(expiredApp);
        jdbc.update("UPDATE share_links SET expires_at = now() - interval '1 second' WHERE app_id = ?::uuid",
                java.util.UUID.fromString(expiredApp));
        assertThat(api.get("/api/v1/apps/" + expiredApp + "/share").json().get("status").asString()).isEqualTo("expired");

        Response unknown = share.get("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("text/html");
        assertThat(unknown.body()).contains("This link isn’t available").doesNotContain("AAAAAAAA");
        assertThat(unknown.header("Content-Security-Policy")).isNotNull();
        for (String path : List.of(revoked, expired, "/s/short", "/s/" + "x".repeat(32))) {
            Response r = share.get(path);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo(unknown.body());
        }
        Response runUnknown = share.postJson("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/run", Map.of("inputs", Map.of()));
        Response runRevoked = share.postJson(revoked + "/run", Map.of("inputs", Map.of("text", "x")));
        assertThat(runRevoked.status()).isEqualTo(404);
        assertThat(runRevoked.body()).isEqualTo(runUnknown.body());
        assertThat(runRevoked.contentType()).startsWith("application/problem+json");
    }

    @Test
    void tooLargeBodiesAre413() {
        String path = share.sharedGreeting();

        Response json = share.postJson(path + "/run", Map.of("inputs", Map.of("text", "x".repeat(300_000))));
        assertThat(json.status()).isEqualTo(413);
        assertThat(json.contentType()).startsWith("application/problem+json");
        Response form = share.postForm(path + "/run", Map.of("text", "x".repeat(300_000)));
        assertThat(form.status()).isEqualTo(413);
        assertThat(form.body()).contains("That’s too much input");
    }

    @Test
    void theGraphPictureIsOffByDefaultAndShownWhenTheOwnerSaysSo() {
        String appId = share.createApp(greeting());
        String path = share.publish(appId);
        assertThat(share.get(path + "/graph.svg").status()).isEqualTo(404);
        assertThat(share.get(path).body()).doesNotContain("How this app works");

        api.put("/api/v1/apps/" + appId + "/share", Map.of("showGraph", true));

        String page = share.get(path).body();
        assertThat(page).contains("How this app works").contains("src=\"" + path + "/graph.svg\"")
                .contains("alt=\"Diagram of this app: 3 steps: in [input] → say [transform]");
        Response svg = share.get(path + "/graph.svg");
        assertThat(svg.status()).isEqualTo(200);
        assertThat(svg.contentType()).startsWith("image/svg+xml");
        assertThat(svg.body()).startsWith("<svg").contains(">say</text>").doesNotContain("Hello, {{in.text}}");
    }

    @Test
    void theOwnerGetsTheGraphAsSvgWithDetailsForAnyVersion() {
        String appId = share.createApp(greeting("<v1> {{in.text}}"));
        share.publish(appId);
        api.put("/api/v1/apps/" + appId, Map.of("graph", greeting("draft & {{in.text}}")));

        Response latest = api.get("/api/v1/apps/" + appId + "/graph.svg");
        assertThat(latest.status()).as(latest.body()).isEqualTo(200);
        assertThat(latest.contentType()).startsWith("image/svg+xml");
        assertThat(latest.body()).contains("&lt;v1&gt; {{in.text}}").doesNotContain("<v1>");
        assertThat(api.get("/api/v1/apps/" + appId + "/graph.svg?version=draft").body()).contains("draft &amp; {{in.text}}");
        assertThat(api.get("/api/v1/apps/" + appId + "/graph.svg?version=1").body()).contains("&lt;v1&gt;");
        assertThat(api.get("/api/v1/apps/" + appId + "/graph.svg?version=9").status()).isEqualTo(404);
        assertThat(api.withKey(null).get("/api/v1/apps/" + appId + "/graph.svg").status()).isEqualTo(401);
    }
}
