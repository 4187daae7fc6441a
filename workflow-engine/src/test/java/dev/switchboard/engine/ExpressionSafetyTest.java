package dev.switchboard.engine;

import static dev.switchboard.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

class ExpressionSafetyTest {

    private final WorkflowEngine engine = WorkflowEngine.builder().build();

    @AfterEach
    void close() {
        engine.close();
    }

    private static Graphs withCondition(String expression) {
        ObjectNode config = Graphs.JSON.createObjectNode().put("expression", expression);
        Graphs g = graph().node("in", "input", "{\"fields\": [{\"name\": \"text\"}, {\"name\": \"items\", \"type\": \"json\"}]}")
                .transform("t", "{{in.text}}");
        g.build(); // validates builder state
        return g.node("c", "condition", config.toString())
                .output("yes", "r", "yes").output("no", "r", "no")
                .edge("in", "t").edge("t", "c").edge("c", "yes", "true").edge("c", "no", "false");
    }

    private RunOutcome run(String expression, Map<String, Object> inputs) {
        return engine.run(engine.compile(withCondition(expression).build()), RunRequest.of("r", inputs));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "java.lang.Runtime.getRuntime().exec('id') == null",
            "t.getClass().getName() == 'x'",
            "Runtime.exec('rm -rf /')",
            "t.text.replace('a', 'aa') == ''",
            "[t.text, t.text].join('') == ''",
            "import('x')"})
    void cannotReachJavaOrUnboundedFunctions(String expression) {
        assertThat(engine.validate(withCondition(expression).build())).isNotEmpty()
                .allSatisfy(p -> assertThat(p.code()).isIn(ValidationProblem.EXPRESSION_ERROR, ValidationProblem.UNKNOWN_REFERENCE));
    }

    @Test
    void evaluatesAgainstUpstreamOutputs() {
        assertThat(run("t.text.lowerAscii().contains('positive') && size(t.text) < 100", Map.of("text", "Very POSITIVE")).outputs())
                .containsEntry("r", "yes");
        assertThat(run("nodes['in'].items.exists(i, i > 2)", Map.of("text", "", "items", List.of(1, 2, 3))).outputs())
                .containsEntry("r", "yes");
        assertThat(run("has(t.json) && t.json.ok == true", Map.of("text", "{\"ok\": true}")).outputs())
                .containsEntry("r", "yes");
        assertThat(run("has(t.json)", Map.of("text", "plain")).outputs()).containsEntry("r", "no");
    }

    @Test
    void refusesHugeExpressions() {
        String huge = "t.text == 'a'" + " || t.text == 'a'".repeat(200);
        assertThat(engine.validate(withCondition(huge).build())).singleElement()
                .satisfies(p -> assertThat(p.code()).isEqualTo(ValidationProblem.TOO_LARGE));
    }

    @Test
    void stopsExpensiveEvaluationsWithAClearError() {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(i);
        }
        RunOutcome outcome = run("nodes['in'].items.all(a, nodes['in'].items.all(b, nodes['in'].items.all(c, a + b + c >= 0)))",
                Map.of("text", "", "items", items));
        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error().nodeId()).isEqualTo("c");
        assertThat(outcome.error().type()).isEqualTo("expression_error");
    }

    @Test
    void aRuntimeErrorFailsTheConditionNode() {
        RunOutcome outcome = run("t.missing == 'x'", Map.of("text", "a"));
        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error().type()).isEqualTo("expression_error");
        assertThat(outcome.error().message()).contains("missing");
    }

    @Test
    void aDynamicResultThatIsNotBooleanFails() {
        RunOutcome outcome = run("nodes['in'].items", Map.of("text", "", "items", List.of(1)));
        assertThat(outcome.error().type()).isEqualTo("expression_error");
        assertThat(outcome.error().message()).contains("must produce true or false");
    }

    @Test
    void conditionDefaultsApplyWhenEvaluationFails() {
        Graphs g = graph().input("in", "text")
                .node("c", "condition", "{\"expression\": \"nodes['in'].nope == 1\", \"onError\": \"default\", \"default\": false}")
                .output("yes", "r", "yes").output("no", "r", "no")
                .edge("in", "c").edge("c", "yes", "true").edge("c", "no", "false");
        RunOutcome outcome = engine.run(engine.compile(g.build()), RunRequest.of("r", Map.of("text", "x")));
        assertThat(outcome.outputs()).containsEntry("r", "no");
    }
}
