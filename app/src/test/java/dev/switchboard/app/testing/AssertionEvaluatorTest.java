package dev.switchboard.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.app.testing.AssertionEvaluator.Observation;
import dev.switchboard.app.testing.TestViews.AssertionResult;
import dev.switchboard.app.web.FieldProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AssertionEvaluatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final AssertionParser parser = new AssertionParser(new JsonSchemas());
    private final AssertionEvaluator evaluator = new AssertionEvaluator(JSON, null);
    private final AssertionEvaluator.Scope scope = new AssertionEvaluator.Scope(UUID.randomUUID(), UUID.randomUUID(),
            UUID.randomUUID(), v -> { });

    private List<AssertionResult> check(String assertions, Map<String, Object> outputs, Double latencyMs, UsageView usage,
            String status) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Assertion> parsed = parser.parse(JSON.readTree(assertions), null, null, problems);
        assertThat(problems).isEmpty();
        return evaluator.evaluate(parsed, new Observation(status, outputs, List.copyOf(outputs.keySet()), latencyMs, usage),
                scope);
    }

    private List<AssertionResult> check(String assertions, Map<String, Object> outputs) {
        return check(assertions, outputs, 12.5, null, "succeeded");
    }

    @Test
    void comparesTextTrimmedAndJsonByValue() {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("answer", "  Hello, Ada!\n");
        outputs.put("score", 1);
        outputs.put("data", Map.of("a", List.of(1, 2)));
        List<AssertionResult> r = check("""
                [{"type": "equals", "value": "Hello, Ada!"},
                 {"type": "equals", "value": "hello, ada!", "ignoreCase": true},
                 {"type": "equals", "value": "Hello, Ada!", "trim": false},
                 {"type": "equals", "output": "score", "value": 1.0},
                 {"type": "equals", "output": "data", "value": {"a": [1, 2]}},
                 {"type": "equals", "output": "data", "value": {"a": [2, 1]}},
                 {"type": "equals", "value": "Bye", "not": true}]""", outputs);
        assertThat(r).extracting(AssertionResult::passed).containsExactly(true, true, false, true, true, false, true);
        assertThat(r.get(2).message()).isEqualTo("expected answer equals \"Hello, Ada!\"; it was \"  Hello, Ada!\n\"");
        assertThat(r.getFirst().output()).isEqualTo("answer");
    }

    @Test
    void containsAndRegexReadTheText() {
        List<AssertionResult> r = check("""
                [{"type": "contains", "value": "POSITIVE", "ignoreCase": true},
                 {"type": "contains", "value": "negative"},
                 {"type": "contains", "value": "negative", "not": true},
                 {"type": "regex", "pattern": "^sentiment: (positive|negative)$", "flags": "m"},
                 {"type": "regex", "pattern": "^positive$"}]""", Map.of("answer", "The review is\nsentiment: positive"));
        assertThat(r).extracting(AssertionResult::passed).containsExactly(true, false, true, true, false);
        assertThat(r.get(1).message()).startsWith("expected answer contains \"negative\"; it was \"The review is");
    }

    @Test
    void aRegexThatBacktracksForeverFailsInsteadOfHanging() {
        List<AssertionResult> r = check("[{\"type\": \"regex\", \"pattern\": \"^(.*a){12}$\"}]",
                Map.of("answer", "a".repeat(30) + "!"));
        assertThat(r.getFirst().passed()).isFalse();
        assertThat(r.getFirst().message()).contains("took too long");
    }

    @Test
    void jsonSchemaParsesModelTextEvenInACodeFence() {
        String schema = "{\"type\": \"object\", \"required\": [\"sentiment\"], \"properties\": {\"sentiment\": {\"enum\": [\"positive\", \"negative\"]}}}";
        String assertions = "[{\"type\": \"jsonSchema\", \"schema\": " + schema + "}]";
        assertThat(check(assertions, Map.of("answer", "```json\n{\"sentiment\": \"positive\"}\n```")).getFirst().passed())
                .isTrue();
        AssertionResult wrong = check(assertions, Map.of("answer", "{\"sentiment\": \"meh\"}")).getFirst();
        assertThat(wrong.passed()).isFalse();
        assertThat(wrong.message()).contains("does not match the schema").contains("/sentiment");
        AssertionResult prose = check(assertions, Map.of("answer", "I think it is positive")).getFirst();
        assertThat(prose.message()).isEqualTo("answer is not JSON, so it cannot match the schema; it was \"I think it is positive\"");
    }

    @Test
    void rangeAcceptsNumbersAndNumericText() {
        List<AssertionResult> r = check("""
                [{"type": "range", "output": "a", "min": 0, "max": 1},
                 {"type": "range", "output": "b", "min": 0, "max": 1},
                 {"type": "range", "output": "c", "max": 10}]""", Map.of("a", 0.25, "b", " 3 ", "c", "many"));
        assertThat(r).extracting(AssertionResult::passed).containsExactly(true, false, false);
        assertThat(r.get(1).message()).isEqualTo("b = 3 is not >= 0 and <= 1");
        assertThat(r.get(2).message()).isEqualTo("expected c to be a number <= 10; it was \"many\"");
    }

    @Test
    void latencyCostAndStatusAreAboutTheRun() {
        UsageView priced = new UsageView(100, 20, 120, false, new BigDecimal("0.0031"), "fake/m");
        UsageView unpriced = new UsageView(100, 20, 120, false, null, "fake/m");
        String assertions = """
                [{"type": "maxLatency", "ms": 100}, {"type": "maxCost", "usd": 0.003}, {"type": "status", "equals": "succeeded"}]""";
        List<AssertionResult> r = check(assertions, Map.of("answer", "x"), 250.0, priced, "succeeded");
        assertThat(r).extracting(AssertionResult::passed).containsExactly(false, false, true);
        assertThat(r.get(0).message()).isEqualTo("the run took 250.0 ms, more than 100 ms");
        assertThat(r.get(1).message()).isEqualTo("the run cost $0.0031, more than $0.003");
        assertThat(check(assertions, Map.of("answer", "x"), 50.0, unpriced, "blocked"))
                .extracting(AssertionResult::passed).containsExactly(true, false, false);
        // no model call at all costs nothing
        assertThat(check("[{\"type\": \"maxCost\", \"usd\": 0}]", Map.of("answer", "x"), 1.0, null, "succeeded")
                .getFirst().passed()).isTrue();
    }

    @Test
    void aMissingOutputFailsWithWhatWasThere() {
        AssertionResult r = check("[{\"type\": \"contains\", \"output\": \"mood\", \"value\": \"x\"}]",
                Map.of("answer", "hi")).getFirst();
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).isEqualTo("the run produced no output 'mood'; it produced: answer");
    }

    @Test
    void defaultOutputIsAnswerElseTheFirst() {
        Observation withAnswer = new Observation("succeeded", Map.of(), List.of("greeting", "answer"), 1.0, null);
        Observation without = new Observation("succeeded", Map.of(), List.of("greeting", "mood"), 1.0, null);
        assertThat(AssertionEvaluator.outputName(null, withAnswer)).isEqualTo("answer");
        assertThat(AssertionEvaluator.outputName(null, without)).isEqualTo("greeting");
        assertThat(AssertionEvaluator.outputName("mood", without)).isEqualTo("mood");
    }

    @Test
    void theRegexBudgetLeavesOrdinaryMatchesOnLongTextAlone() {
        String longText = "word ".repeat(100_000) + "needle";
        AssertionResult r = check("[{\"type\": \"regex\", \"pattern\": \"\\\\bneedle$\"}]",
                Map.of("answer", longText)).getFirst();
        assertThat(r.passed()).as(r.message()).isTrue();
    }

    @Test
    void aGroupRepeatedTooOftenFailsTheAssertionNotTheRun() {
        String longText = "word ".repeat(100_000) + "needle";
        AssertionResult r = check("[{\"type\": \"regex\", \"pattern\": \"(\\\\w+ )+needle$\"}]",
                Map.of("answer", longText)).getFirst();
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).contains("repeats a group too often");
    }
}
