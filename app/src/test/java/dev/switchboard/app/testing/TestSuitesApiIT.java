package dev.switchboard.app.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.edge;
import static dev.switchboard.app.support.TestGraphs.input;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** App test suites end to end: cases, test runs, comparisons and the publish gate, over the HTTP API. */
class TestSuitesApiIT extends IntegrationTest {

    private String createApp(Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", app("tests-" + UUID.randomUUID(), graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String addCase(String appId, String name, Map<String, Object> inputs, List<Map<String, Object>> assertions) {
        Response r = api.post("/api/v1/apps/" + appId + "/tests", Map.of("name", name, "inputs", inputs,
                "assertions", assertions));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private JsonNode testRun(String appId, Object version) {
        Response r = api.post("/api/v1/apps/" + appId + "/test-runs", Map.of("version", version));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    /**
     * input → condition (text is one of {@code greeted}) → "Hi, X!" or "Hello, X!" → output {greeting}.
     * With an empty list every name gets "Hello".
     */
    private static Map<String, Object> greeter(List<String> greeted) {
        String expression = greeted.isEmpty() ? "false"
                : String.join(" || ", greeted.stream().map(n -> "nodes['in'].text == '" + n + "'").toList());
        return Map.of(
                "nodes", List.of(input(),
                        Map.of("id", "pick", "type", "condition", "config", Map.of("expression", expression)),
                        Map.of("id", "hi", "type", "output", "config", Map.of("values", Map.of("greeting", "Hi, {{in.text}}!"))),
                        Map.of("id", "hello", "type", "output", "config", Map.of("values", Map.of("greeting", "Hello, {{in.text}}!")))),
                "edges", List.of(edge("in", "pick"), Map.of("from", "pick", "to", "hi", "when", "true"),
                        Map.of("from", "pick", "to", "hello", "when", "false")));
    }

    private static Map<String, Object> equalsGreeting(String value) {
        return Map.of("type", "equals", "output", "greeting", "value", value);
    }

    @Test
    void assertionsThatCannotCompileAre422ListingEachProblem() {
        String appId = createApp(TestGraphs.greeting());

        Response r = api.post("/api/v1/apps/" + appId + "/tests", Map.of("name", "broken",
                "inputs", Map.of("text", "Ada", "colour", "red"),
                "assertions", List.of(
                        Map.of("type", "regex", "pattern", "([a-z"),
                        Map.of("type", "jsonSchema", "schema", Map.of("type", "strnig")),
                        Map.of("type", "contains", "output", "answer", "value", "Ada"),
                        Map.of("type", "judge", "rubric", "friendly"))));

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode body = r.json();
        assertThat(body.get("code").asString()).isEqualTo("invalid-fields");
        List<String> fields = new ArrayList<>();
        body.get("errors").forEach(e -> fields.add(e.get("field").asString() + ":" + e.get("code").asString()));
        assertThat(fields).containsExactlyInAnyOrder("inputs.colour:unknown_input", "assertions[0].pattern:invalid-regex",
                "assertions[1].schema:invalid-schema", "assertions[2].output:unknown-output",
                "assertions[3].model:required");
        assertThat(api.get("/api/v1/apps/" + appId + "/tests").json().get("items")).isEmpty();
    }

    @Test
    void testCasesAreCreatedReadReplacedAndDeleted() {
        String appId = createApp(TestGraphs.greeting());
        String base = "/api/v1/apps/" + appId + "/tests";
        String id = addCase(appId, "greets Ada", Map.of("text", "Ada"),
                List.of(Map.of("type", "contains", "value", "Ada")));

        assertThat(api.get(base + "/" + id).json().get("assertions").get(0).get("value").asString()).isEqualTo("Ada");
        Response duplicate = api.post(base, Map.of("name", "greets Ada", "inputs", Map.of("text", "Bo"),
                "assertions", List.of(Map.of("type", "contains", "value", "Bo"))));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("code").asString()).isEqualTo("duplicate-name");

        Response replaced = api.put(base + "/" + id, Map.of("name", "greets Bo", "inputs", Map.of("text", "Bo"),
                "assertions", List.of(Map.of("type", "equals", "value", "Hello, Bo!"))));
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(api.get(base).json().get("items")).singleElement()
                .satisfies(c -> assertThat(c.get("name").asString()).isEqualTo("greets Bo"));

        assertThat(api.delete(base + "/" + id).status()).isEqualTo(204);
        assertThat(api.get(base + "/" + id).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/apps/" + UUID.randomUUID() + "/tests").status()).isEqualTo(404);
    }

    @Test
    void aTestRunOfAnAppWithoutCasesIs409() {
        String appId = createApp(TestGraphs.greeting());

        Response r = api.post("/api/v1/apps/" + appId + "/test-runs", Map.of("version", "draft"));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("code").asString()).isEqualTo("no-test-cases");
        assertThat(r.json().get("detail").asString()).contains("add test cases");
    }

    @Test
    void aTestRunRecordsEveryCaseWithItsAssertionsAndRun() {
        String appId = createApp(TestGraphs.greeting());
        String good = addCase(appId, "exact", Map.of("text", "Ada"), List.of(
                Map.of("type", "equals", "value", "Hello, Ada!"), Map.of("type", "maxLatency", "ms", 60_000),
                Map.of("type", "maxCost", "usd", 0)));
        String bad = addCase(appId, "wrong", Map.of("text", "Bo"), List.of(
                Map.of("type", "contains", "value", "Good morning"), Map.of("type", "regex", "pattern", "^Hello")));

        JsonNode run = testRun(appId, "draft");

        assertThat(run.get("status").asString()).isEqualTo("failed");
        assertThat(run.get("total").asInt()).isEqualTo(2);
        assertThat(run.get("passed").asInt()).isEqualTo(1);
        assertThat(run.get("failed").asInt()).isEqualTo(1);
        assertThat(run.get("version").isNull()).isTrue();
        assertThat(run.get("draftRevision").asInt()).isEqualTo(1);
        JsonNode first = run.get("results").get(0);
        assertThat(first.get("caseId").asString()).isEqualTo(good);
        assertThat(first.get("verdict").asString()).isEqualTo("passed");
        assertThat(first.get("outputs").get("greeting").asString()).isEqualTo("Hello, Ada!");
        assertThat(first.get("latencyMs").asDouble()).isPositive();
        JsonNode second = run.get("results").get(1);
        assertThat(second.get("caseId").asString()).isEqualTo(bad);
        assertThat(second.get("verdict").asString()).isEqualTo("failed");
        assertThat(second.get("assertions").get(0).get("passed").asBoolean()).isFalse();
        assertThat(second.get("assertions").get(0).get("message").asString())
                .isEqualTo("expected greeting contains \"Good morning\"; it was \"Hello, Bo!\"");
        assertThat(second.get("assertions").get(1).get("passed").asBoolean()).isTrue();

        // each case is an ordinary, traced run started by the test source
        JsonNode caseRun = api.get("/api/v1/runs/" + second.get("runId").asString()).json();
        assertThat(caseRun.get("source").asString()).isEqualTo("test");
        assertThat(caseRun.get("trace")).hasSize(3);

        String id = run.get("id").asString();
        assertThat(api.get("/api/v1/apps/" + appId + "/test-runs/" + id).json().get("results")).hasSize(2);
        JsonNode list = api.get("/api/v1/apps/" + appId + "/test-runs").json();
        assertThat(list.get("items").get(0).get("id").asString()).isEqualTo(id);
        assertThat(list.get("items").get(0).has("results")).isFalse();
    }

    @Test
    void comparingTwoVersionsNamesExactlyTheCasesWhoseVerdictOrOutputChanged() {
        String appId = createApp(greeter(List.of()));
        String ada = addCase(appId, "Ada exact", Map.of("text", "Ada"), List.of(equalsGreeting("Hello, Ada!")));
        String bo = addCase(appId, "Bo named", Map.of("text", "Bo"),
                List.of(Map.of("type", "contains", "output", "greeting", "value", "Bo")));
        addCase(appId, "Cy exact", Map.of("text", "Cy"), List.of(equalsGreeting("Hello, Cy!")));
        assertThat(api.post("/api/v1/apps/" + appId + "/publish", Map.of()).json().get("version").asInt()).isEqualTo(1);
        JsonNode v1 = testRun(appId, 1);
        assertThat(v1.get("status").asString()).isEqualTo("passed");
        Response changed = api.put("/api/v1/apps/" + appId, Map.of("graph", greeter(List.of("Ada", "Bo"))));
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        JsonNode draft = testRun(appId, "draft");
        assertThat(draft.get("passed").asInt()).isEqualTo(2);

        Response byVersion = api.get("/api/v1/apps/" + appId + "/test-runs/compare?base=1&head=draft");

        assertThat(byVersion.status()).as(byVersion.body()).isEqualTo(200);
        JsonNode cmp = byVersion.json();
        assertThat(cmp.get("base").get("id").asString()).isEqualTo(v1.get("id").asString());
        assertThat(cmp.get("head").get("id").asString()).isEqualTo(draft.get("id").asString());
        assertThat(cmp.get("unchanged").asInt()).isEqualTo(1);
        assertThat(cmp.get("changed")).hasSize(2);
        JsonNode adaChange = cmp.get("changed").get(0);
        assertThat(adaChange.get("caseId").asString()).isEqualTo(ada);
        assertThat(adaChange.get("changes")).extracting(JsonNode::asString).containsExactly("verdict", "outputs");
        assertThat(adaChange.get("base").get("verdict").asString()).isEqualTo("passed");
        assertThat(adaChange.get("head").get("verdict").asString()).isEqualTo("failed");
        assertThat(adaChange.get("head").get("outputs").get("greeting").asString()).isEqualTo("Hi, Ada!");
        assertThat(adaChange.get("head").get("failures").get(0).asString()).contains("Hello, Ada!");
        JsonNode boChange = cmp.get("changed").get(1);
        assertThat(boChange.get("caseId").asString()).isEqualTo(bo);
        assertThat(boChange.get("changes")).extracting(JsonNode::asString).containsExactly("outputs");

        // the same by test run ids; and a version without a test run is a clear 404
        JsonNode byId = api.get("/api/v1/apps/" + appId + "/test-runs/compare?base=" + v1.get("id").asString()
                + "&head=" + draft.get("id").asString()).json();
        assertThat(byId.get("changed")).hasSize(2);
        Response none = api.get("/api/v1/apps/" + appId + "/test-runs/compare?base=7&head=draft");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("detail").asString()).contains("Version 7 has no finished test run");
    }

    @Test
    void aDraftThatBreaksACaseIsRefusedPublishListingTheFailingCase() {
        String appId = createApp(TestGraphs.greeting());
        String path = "/api/v1/apps/" + appId;
        assertThat(api.post(path + "/publish", Map.of()).status()).isEqualTo(200);
        Response setting = api.put(path + "/settings", Map.of("requireTestsToPublish", true));
        assertThat(setting.status()).as(setting.body()).isEqualTo(200);
        assertThat(api.get(path + "/settings").json().get("requireTestsToPublish").asBoolean()).isTrue();
        api.put(path, Map.of("graph", TestGraphs.greeting("Hi there, {{in.text}}.")));

        Response noCases = api.post(path + "/publish", Map.of());
        assertThat(noCases.status()).isEqualTo(409);
        assertThat(noCases.json().get("code").asString()).isEqualTo("no-test-cases");

        String caseId = addCase(appId, "says Hello", Map.of("text", "Ada"),
                List.of(Map.of("type", "contains", "value", "Hello")));
        addCase(appId, "names Ada", Map.of("text", "Ada"), List.of(Map.of("type", "contains", "value", "Ada")));
        Response refused = api.post(path + "/publish", Map.of());

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        JsonNode problem = refused.json();
        assertThat(problem.get("code").asString()).isEqualTo("tests-failed");
        assertThat(problem.get("detail").asString()).startsWith("1 of 2 test cases did not pass");
        assertThat(problem.get("failingCases")).singleElement().satisfies(c -> {
            assertThat(c.get("caseId").asString()).isEqualTo(caseId);
            assertThat(c.get("name").asString()).isEqualTo("says Hello");
            assertThat(c.get("failures").get(0).asString()).contains("Hi there, Ada.");
        });
        assertThat(api.get(path + "/versions").json()).hasSize(1);
        JsonNode gateRun = api.get(path + "/test-runs/" + problem.get("testRunId").asString()).json();
        assertThat(gateRun.get("reason").asString()).isEqualTo("publish");

        api.put(path, Map.of("graph", TestGraphs.greeting("Hello again, {{in.text}}.")));
        Response published = api.post(path + "/publish", Map.of());
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(published.json().get("version").asInt()).isEqualTo(2);
    }

    @Test
    void aStatusAssertionLetsACaseExpectABlockedRun() {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(input(),
                        Map.of("id", "guard", "type", "policy.blocklist", "config", Map.of("text", "{{in.text}}",
                                "terms", List.of("scam"), "action", "block", "message", "Not here.")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{guard.text}}")))),
                "edges", List.of(edge("in", "guard"), edge("guard", "out")));
        String appId = createApp(graph);
        addCase(appId, "refuses scams", Map.of("text", "a scam offer"), List.of(Map.of("type", "status", "equals", "blocked")));
        addCase(appId, "blocked but expected to pass", Map.of("text", "another scam"),
                List.of(Map.of("type", "contains", "value", "scam")));

        JsonNode run = testRun(appId, "draft");

        assertThat(run.get("results").get(0).get("verdict").asString()).isEqualTo("passed");
        JsonNode unexpected = run.get("results").get(1);
        assertThat(unexpected.get("verdict").asString()).isEqualTo("error");
        assertThat(unexpected.get("error").get("message").asString()).isEqualTo("The run ended blocked: Not here.");
        assertThat(run.get("errored").asInt()).isEqualTo(1);
    }

    @Test
    void aJudgeAssertionAsksTheModelThroughTheGateway() {
        FakeModelServer.server().stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("strict-judge")))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        {"id":"j","object":"chat.completion","created":1,"model":"strict-judge",
                         "choices":[{"index":0,"message":{"role":"assistant",
                           "content":"{\\"verdict\\": \\"fail\\", \\"reason\\": \\"It does not apologise.\\", \\"score\\": 0.2}"},
                           "finish_reason":"stop"}],
                         "usage":{"prompt_tokens":90,"completion_tokens":12,"total_tokens":102}}""")));
        String appId = createApp(TestGraphs.greeting());
        addCase(appId, "apologises", Map.of("text", "Ada"),
                List.of(Map.of("type", "judge", "rubric", "The reply apologises.", "model", "fake/strict-judge")));

        JsonNode run = testRun(appId, "draft");

        JsonNode judged = run.get("results").get(0).get("assertions").get(0);
        assertThat(judged.get("passed").asBoolean()).isFalse();
        assertThat(judged.get("message").asString())
                .isEqualTo("the judge found that greeting does not meet the rubric: It does not apologise.");
        assertThat(judged.get("details").get("score").asDouble()).isEqualTo(0.2);
        assertThat(run.get("usage").get("judgeInputTokens").asInt()).isEqualTo(90);
        FakeModelServer.server().verify(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                        urlPathEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.messages[1].content",
                        com.github.tomakehurst.wiremock.client.WireMock.containing("Hello, Ada!"))));
    }
}
