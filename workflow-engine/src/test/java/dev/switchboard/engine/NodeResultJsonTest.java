package dev.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Checkpoints are persisted by the app as JSON; they must come back equal. */
class NodeResultJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void checkpointsRoundTripThroughJackson() {
        Map<String, NodeResult> checkpoints = Map.of(
                "in", NodeResult.of(Map.of("text", "hi", "n", 3, "list", List.of(true, 1.5))),
                "ai", NodeResult.of(Map.of("text", "ok"), new ModelUsage(new TokenUsage(10, 2, false), new BigDecimal("0.00012"), "openai", "gpt-4o-mini")),
                "c", NodeResult.branch("true", Map.of("result", true)),
                "h", NodeResult.fail(NodeError.retriable("timeout", "slow")),
                "r", NodeResult.suspend("review", Map.of("text", "draft")),
                "p", NodeResult.block("no"));

        String json = JSON.writeValueAsString(checkpoints);
        Map<String, NodeResult> back = JSON.readValue(json, new TypeReference<Map<String, NodeResult>>() { });

        assertThat(back).isEqualTo(checkpoints);
        assertThat(json).contains("\"kind\":\"completed\"", "\"branch\":\"true\"");
    }

    @Test
    void outcomesSerialiseForTheApi() {
        RunOutcome outcome = new RunOutcome("r", RunStatus.SUCCEEDED, Map.of("answer", "x"), null, List.of(), Map.of(),
                TokenUsage.ZERO, null, java.time.Instant.EPOCH, java.time.Instant.EPOCH);
        assertThat(JSON.readTree(JSON.writeValueAsString(outcome)).get("status").asString()).isEqualTo("SUCCEEDED");
    }
}
