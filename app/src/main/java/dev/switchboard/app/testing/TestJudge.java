package dev.switchboard.app.testing;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.switchboard.app.support.Ids;
import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.RunContext;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.WorkflowEngine;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * LLM-as-judge for {@code judge} assertions, through the governance feature's {@code policy.judge}
 * node kind (its public contract: a hardened judge prompt that treats the checked text as data,
 * a strict JSON verdict, {@code judge_unparsable} retried). Each verdict is a tiny run of
 * {@code input → policy.judge (action: flag) → output} on the app's engine, so it goes through
 * the model gateway with its budgets, retries and accounting like any other model call. The run
 * is not recorded as an app run. Thread-safe.
 */
@Component
class TestJudge {

    /** What the judge said; {@code error} set (and {@code pass} false) when no verdict could be had. */
    record Verdict(boolean pass, String reason, Double score, int inputTokens, int outputTokens, BigDecimal cost,
            String error) {
    }

    private final WorkflowEngine engine;
    private final JsonMapper json;
    private final Ids ids;
    private final Clock clock;
    private final TestProperties properties;
    private final Cache<String, CompiledGraph> graphs = Caffeine.newBuilder().maximumSize(100).build();

    TestJudge(WorkflowEngine engine, JsonMapper json, Ids ids, Clock clock, TestProperties properties) {
        this.engine = engine;
        this.json = json;
        this.ids = ids;
        this.clock = clock;
        this.properties = properties;
    }

    /** Judges {@code content} against {@code rubric} with {@code model}; never throws for model trouble. */
    Verdict judge(String model, String rubric, String content, UUID workspaceId, UUID appId, UUID testRunId) {
        CompiledGraph graph = graphs.get(model, this::compile);
        RunContext context = new RunContext(ids.next().toString(), workspaceId.toString(), appId.toString(), "test",
                Map.of("purpose", "judge", "testRunId", testRunId.toString()));
        RunRequest request = RunRequest.builder(context)
                .inputs(Map.of("content", content, "rubric", rubric))
                .deadline(clock.instant().plus(properties.judgeTimeout()))
                .build();
        RunOutcome outcome = engine.run(graph, request);
        int in = outcome.usage().input();
        int out = outcome.usage().output();
        if (!outcome.succeeded()) {
            String why = outcome.error() == null ? outcome.status().wireName() : outcome.error().message();
            return new Verdict(false, null, null, in, out, outcome.cost(), "the judge (" + model + ") gave no verdict: " + why);
        }
        Map<String, Object> o = outcome.outputs();
        boolean flagged = Boolean.TRUE.equals(o.get("flagged"));
        Double score = o.get("score") instanceof Number n ? n.doubleValue() : null;
        return new Verdict(!flagged, reason(o.get("reason"), model), score, in, out, outcome.cost(), null);
    }

    /** The policy node's reason reads "Judge (model): why"; keep just the why. */
    private static String reason(Object reason, String model) {
        if (!(reason instanceof String s) || s.isBlank()) {
            return null;
        }
        String prefix = "Judge (";
        int close = s.indexOf("): ");
        return s.startsWith(prefix) && close > 0 ? s.substring(close + 3) : s;
    }

    private CompiledGraph compile(String model) {
        Map<String, Object> judgeConfig = new LinkedHashMap<>();
        judgeConfig.put("text", "{{in.content}}");
        judgeConfig.put("rubric", "{{in.rubric}}");
        judgeConfig.put("model", model);
        judgeConfig.put("action", "flag");
        judgeConfig.put("retry", Map.of("attempts", 2, "backoff", "200ms"));
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "content", "type", "text", "required", false, "default", ""),
                                Map.of("name", "rubric", "type", "text", "required", true)))),
                        Map.of("id", "judge", "type", "policy.judge", "config", judgeConfig),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of(
                                "flagged", "{{judge.flagged}}", "reason", "{{judge.reason}}", "score", "{{judge.score}}")))),
                "edges", List.of(Map.of("from", "in", "to", "judge"), Map.of("from", "judge", "to", "out")));
        return engine.compile(GraphDefinition.fromJson(json.writeValueAsString(graph)));
    }
}
