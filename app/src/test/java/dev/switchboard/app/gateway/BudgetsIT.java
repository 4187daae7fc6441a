package dev.switchboard.app.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import dev.switchboard.app.support.TestGraphs;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Cost per call in the run trace, per-workspace budgets in PostgreSQL: set and read through the
 * API, a run that spends its budget mid-way, direct calls refused with 429, spend persisted and
 * shared between replicas.
 */
class BudgetsIT extends GatewayIntegrationTest {

    private final WireMockServer fake = FakeModelServer.server();

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    Clock clock;

    /** Every call to prime/{model}: 6 input + 4 output tokens at USD 1,000 per million = 0.01. */
    private void stubPriced(String model) {
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions")).withHeader("Authorization", equalTo("Bearer " + PRIME_KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(AiNodeResilienceIT.completion(model, "fine"))));
    }

    private static Map<String, Object> twoAiNodes(String model) {
        Map<String, Object> ai1 = Map.of("id", "ai1", "type", "ai", "config", Map.of("model", model, "prompt", "One: {{in.text}}"));
        Map<String, Object> ai2 = Map.of("id", "ai2", "type", "ai", "config", Map.of("model", model, "prompt", "Two: {{ai1.text}}"));
        Map<String, Object> out = Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{ai2.text}}")));
        return Map.of("nodes", List.of(TestGraphs.input(), ai1, ai2, out),
                "edges", List.of(TestGraphs.edge("in", "ai1"), TestGraphs.edge("ai1", "ai2"), TestGraphs.edge("ai2", "out")));
    }

    private static Map<String, Object> chatBody(String model) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "hello")));
    }

    @Test
    void theTraceCarriesTokensAndCostOfEachCall() {
        stubPriced("priced-trace");
        Api ws = newWorkspace();
        String appId = createApp(ws, TestGraphs.ai("prime/priced-trace", Map.of()));

        JsonNode run = ws.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))).json();

        JsonNode usage = run.get("trace").get(1).get("usage");
        assertThat(usage.get("inputTokens").asInt()).isEqualTo(6);
        assertThat(usage.get("outputTokens").asInt()).isEqualTo(4);
        assertThat(usage.get("cost").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(run.get("usage").get("cost").decimalValue()).isEqualByComparingTo("0.01");
        JsonNode stored = ws.get("/api/v1/runs/" + run.get("id").asString()).json();
        assertThat(stored.get("trace").get(1).get("usage").get("cost").decimalValue()).isEqualByComparingTo("0.01");
    }

    @Test
    void aRunThatSpendsItsBudgetFailsAtTheNextAiNodeAndDirectCallsGet429() {
        stubPriced("priced-budget");
        Api ws = newWorkspace();
        Response set = ws.put("/api/v1/budget", Map.of("limitUsd", 0.015));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("period").asString()).isEqualTo("monthly");
        String appId = createApp(ws, twoAiNodes("prime/priced-budget"));

        JsonNode first = ws.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))).json();
        JsonNode second = ws.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "x"))).json();

        assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("succeeded"); // 0.02 spent: the limit is checked before each call
        assertThat(second.get("status").asString()).isEqualTo("failed");
        JsonNode ai1 = second.get("trace").get(1);
        assertThat(ai1.get("nodeId").asString()).isEqualTo("ai1");
        assertThat(ai1.get("status").asString()).isEqualTo("failed");
        assertThat(ai1.get("error").get("message").asString()).contains("budget_exceeded");
        assertThat(ai1.get("error").get("retriable").asBoolean()).isFalse();

        Response direct = ws.post("/v1/chat/completions", chatBody("prime/priced-budget"));
        assertThat(direct.status()).isEqualTo(429);
        assertThat(direct.contentType()).startsWith("application/problem+json");
        assertThat(direct.json().get("error").get("code").asString()).isEqualTo("budget_exceeded");
        assertThat(direct.json().get("title").asString()).isEqualTo("Budget exceeded");
        assertThat(direct.header("x-should-retry")).isEqualTo("false");

        JsonNode budget = ws.get("/api/v1/budget").json();
        assertThat(budget.get("spentUsd").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(budget.get("remainingUsd").decimalValue()).isEqualByComparingTo("0");
        assertThat(budget.get("exhausted").asBoolean()).isTrue();

        assertThat(ws.put("/api/v1/budget", Map.of("limitUsd", 1, "period", "daily")).json().get("exhausted").asBoolean()).isFalse();
        assertThat(ws.post("/v1/chat/completions", chatBody("prime/priced-budget")).status()).isEqualTo(200);
        assertThat(ws.delete("/api/v1/budget").status()).isEqualTo(204);
        assertThat(ws.get("/api/v1/budget").json().get("limitUsd").isNull()).isTrue();
    }

    @Test
    void spendIsPersistedAndAnotherReplicasSpendTripsTheBudget() {
        stubPriced("priced-replicas");
        Api ws = newWorkspace();
        UUID workspace = UUID.fromString(workspaceId(ws));
        ws.put("/api/v1/budget", Map.of("limitUsd", 0.05, "period", "total"));
        assertThat(ws.post("/v1/chat/completions", chatBody("prime/priced-replicas")).status()).isEqualTo(200);

        BigDecimal stored = await(() -> jdbc.queryForObject(
                "SELECT COALESCE(sum(cost_usd), 0) FROM workspace_spend WHERE workspace_id = ?", BigDecimal.class, workspace),
                v -> v.compareTo(new BigDecimal("0.01")) == 0);
        assertThat(stored).isEqualByComparingTo("0.01");

        PostgresBudgetStore otherReplica = new PostgresBudgetStore(jdbc, transactions, clock,
                new BudgetProperties(Duration.ofHours(1), Duration.ZERO));
        try {
            otherReplica.charge(workspace.toString(), new BigDecimal("0.04"));
            assertThat(otherReplica.budget(workspace.toString()).orElseThrow().exhausted()).isTrue();
            otherReplica.flush();
        } finally {
            otherReplica.destroy();
        }

        int status = await(() -> ws.post("/v1/chat/completions", chatBody("prime/priced-replicas")).status(), s -> s == 429);
        assertThat(status).isEqualTo(429);
        assertThat(ws.get("/api/v1/budget").json().get("spentUsd").decimalValue()).isEqualByComparingTo("0.05");
    }

    @Test
    void budgetsAreValidatedAndNeedAnAdminKey() {
        Api ws = newWorkspace();

        Response negative = ws.put("/api/v1/budget", Map.of("limitUsd", -1));
        Response period = ws.put("/api/v1/budget", Map.of("limitUsd", 1, "period", "weekly"));
        String runKey = ws.post("/api/v1/keys", Map.of("name", "runner", "role", "run")).json().get("secret").asString();
        Response forbidden = ws.withKey(runKey).put("/api/v1/budget", Map.of("limitUsd", 1));

        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.body()).contains("limitUsd");
        assertThat(period.status()).isEqualTo(422);
        assertThat(period.body()).contains("period");
        assertThat(forbidden.status()).isEqualTo(403);
    }

    private static <T> T await(Supplier<T> probe, Predicate<T> done) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(probe::get, done::test);
    }
}
