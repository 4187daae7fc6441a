package dev.switchboard.engine;

import static dev.switchboard.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InputsTest {

    private final WorkflowEngine engine = WorkflowEngine.builder().build();
    private final CompiledGraph graph = engine.compile(graph().node("in", "input", """
            {"fields": [
              {"name": "text", "type": "text", "required": true, "maxLength": 5, "label": "Your text"},
              {"name": "count", "type": "number", "default": 3},
              {"name": "loud", "type": "boolean", "default": false},
              {"name": "extra", "type": "json"}]}""")
            .output("out", "x", "{{in.text}}").edge("in", "out").build());

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void describesTheInputFields() {
        assertThat(graph.inputFields()).containsExactly(
                new InputField("text", InputField.Type.TEXT, true, null, 5, "Your text"),
                new InputField("count", InputField.Type.NUMBER, false, 3L, null, null),
                new InputField("loud", InputField.Type.BOOLEAN, false, false, null, null),
                new InputField("extra", InputField.Type.JSON, false, null, null, null));
    }

    @Test
    void appliesDefaultsAndConvertsFormStrings() {
        InputCheck check = graph.prepareInputs(Map.of("text", "héllo", "loud", "on"));
        assertThat(check.valid()).isTrue();
        assertThat(check.values()).containsExactly(Map.entry("text", "héllo"), Map.entry("count", 3L), Map.entry("loud", true));
        assertThat(graph.prepareInputs(Map.of("text", "a", "count", "2.5")).values()).containsEntry("count", 2.5);
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        Map<String, Object> inputs = new HashMap<>();
        inputs.put("count", "many");
        inputs.put("loud", 3);
        inputs.put("nope", "x");
        assertThat(graph.checkInputs(inputs)).extracting(ValidationProblem::field, ValidationProblem::code)
                .containsExactlyInAnyOrder(
                        tuple("nope", ValidationProblem.UNKNOWN_INPUT),
                        tuple("text", ValidationProblem.REQUIRED),
                        tuple("count", ValidationProblem.WRONG_TYPE),
                        tuple("loud", ValidationProblem.WRONG_TYPE));
        assertThat(graph.checkInputs(Map.of("text", "toolong"))).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ValidationProblem.TOO_LONG);
            assertThat(p.message()).isEqualTo("'text' is 7 characters long; the limit is 5.");
        });
        assertThat(graph.checkInputs(Map.of("text", "  "))).extracting(ValidationProblem::code)
                .containsExactly(ValidationProblem.REQUIRED);
    }

    @Test
    void countsCharactersNotUtf16Units() {
        assertThat(graph.checkInputs(Map.of("text", "😀😀😀😀😀"))).isEmpty();
    }

    @Test
    void acceptsAnyJsonValueForJsonFields() {
        assertThat(graph.prepareInputs(Map.of("text", "a", "extra", List.of(Map.of("k", 1)))).values())
                .containsEntry("extra", List.of(Map.of("k", 1L)));
    }
}
