package dev.switchboard.engine;

import static dev.switchboard.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateSafetyTest {

    private final WorkflowEngine engine = WorkflowEngine.builder()
            .limits(EngineLimits.defaults().withMaxRenderedLength(10_000)).build();

    @AfterEach
    void close() {
        engine.close();
    }

    private static Graphs withTemplate(String template) {
        return graph().node("in", "input", "{\"fields\": [{\"name\": \"text\"}, {\"name\": \"data\", \"type\": \"json\"}]}")
                .transform("t", template).output("out", "x", "{{t.text}}").edge("in", "t").edge("t", "out");
    }

    private String render(String template, Map<String, Object> inputs) {
        RunOutcome outcome = engine.run(engine.compile(withTemplate(template).build()), RunRequest.of("r", inputs));
        assertThat(outcome.status()).as("%s", outcome.error()).isEqualTo(RunStatus.SUCCEEDED);
        return (String) outcome.outputs().get("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{{#lambda}}run me{{/lambda}}",
            "{{#in.text}}loop{{/in.text}}",
            "{{^in.text}}none{{/in.text}}",
            "{{> partial}}",
            "{{<parent}}{{/parent}}",
            "{{$block}}x{{/block}}",
            "{{=<% %>=}}<% in.text %>",
            "{{ = | | = }}"})
    void refusesEveryTagButVariableReferences(String template) {
        List<ValidationProblem> problems = engine.validate(withTemplate(template).build());
        assertThat(problems).isNotEmpty().allSatisfy(p -> {
            assertThat(p.nodeId()).isEqualTo("t");
            assertThat(p.field()).isEqualTo("config.template");
            assertThat(p.code()).isIn(ValidationProblem.TEMPLATE_UNSUPPORTED, ValidationProblem.TEMPLATE_SYNTAX);
        });
    }

    @Test
    void userInputThatLooksLikeATemplateIsInsertedVerbatim() {
        String hostile = "{{#x}}{{> evil}}{{=<% %>=}} {{in.text}} ${jndi:ldap://x} #{T(java.lang.Runtime)}";
        assertThat(render("[{{in.text}}]", Map.of("text", hostile))).isEqualTo("[" + hostile + "]");
    }

    @Test
    void referencesCannotReachMethodsOrGettersOfValues() {
        // on a String, a reflective collector would call getClass(), getBytes(), length()
        assertThat(render("{{in.text.class}}|{{in.text.bytes}}|{{in.text.length}}|{{in.text.empty}}",
                Map.of("text", "abc"))).isEqualTo("|||");
        assertThat(render("{{in.data.class}}|{{in.data.size}}|{{in.data.keySet}}", Map.of("data", Map.of("k", 1))))
                .isEqualTo("||");
    }

    @Test
    void rendersNestedValuesListsByIndexAndObjectsAsJson() {
        Map<String, Object> data = Map.of("user", Map.of("name", "Ada", "tags", List.of("a", "b")));
        assertThat(render("{{in.data.user.name}} {{in.data.user.tags.1}} {{in.data.user.tags}} {{in.data.user.tags.9}}",
                Map.of("data", data))).isEqualTo("Ada b [\"a\",\"b\"] ");
    }

    @Test
    void doesNotEscapeHtmlInPlainTemplates() {
        assertThat(render("{{in.text}}", Map.of("text", "<b>&\"'</b>"))).isEqualTo("<b>&\"'</b>");
    }

    @Test
    void jsonTemplatesEscapeInsertedTextAndTripleBracesInsertRawJson() {
        Graphs g = graph().node("in", "input", "{\"fields\": [{\"name\": \"text\"}, {\"name\": \"data\", \"type\": \"json\"}]}")
                .node("t", "transform", "{\"format\": \"json\", \"template\": \"{\\\"q\\\": \\\"{{in.text}}\\\", \\\"d\\\": {{{in.data}}}}\"}")
                .output("out", "x", "{{t.json}}").edge("in", "t").edge("t", "out");
        RunOutcome outcome = engine.run(engine.compile(g.build()),
                RunRequest.of("r", Map.of("text", "say \"hi\"\n\\", "data", Map.of("k", List.of(1)))));
        assertThat(outcome.outputs().get("x")).isEqualTo(Map.of("q", "say \"hi\"\n\\", "d", Map.of("k", List.of(1L))));
    }

    @Test
    void jsonFormatRejectsOutputThatIsNotJson() {
        Graphs g = graph().input("in", "text").node("t", "transform", "{\"format\": \"json\", \"template\": \"{{{in.text}}}\"}")
                .output("out", "x", "{{t.json}}").edge("in", "t").edge("t", "out");
        RunOutcome outcome = engine.run(engine.compile(g.build()), RunRequest.of("r", Map.of("text", "not json")));
        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error().type()).isEqualTo("invalid_json");
    }

    @Test
    void outputBeyondTheLimitFailsTheNodeClearly() {
        String big = "x".repeat(4_000);
        RunOutcome outcome = engine.run(engine.compile(withTemplate("{{in.text}}{{in.text}}{{in.text}}").build()),
                RunRequest.of("r", Map.of("text", big)));
        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).isEqualTo(new RunError("t", "template_error",
                "The template's output is longer than the limit of 10000 characters."));
    }

    @Test
    void refusesOversizedTemplatesAndDeepReferences() {
        assertThat(engine.validate(withTemplate("a".repeat(20_001)).build()))
                .extracting(ValidationProblem::code).containsExactly(ValidationProblem.TOO_LARGE);
        assertThat(engine.validate(withTemplate("{{in.data.a.b.c.d.e.f.g.h}}").build()))
                .extracting(ValidationProblem::code).containsExactly(ValidationProblem.TOO_LARGE);
    }

    @Test
    void deeplyNestedInputIsRefusedBeforeRendering() {
        Object nested = "leaf";
        for (int i = 0; i < 40; i++) {
            nested = Map.of("n", nested);
        }
        CompiledGraph g = engine.compile(withTemplate("{{in.data}}").build());
        assertThat(g.checkInputs(Map.of("data", nested))).extracting(ValidationProblem::code)
                .containsExactly(ValidationProblem.WRONG_TYPE);
    }

    @Test
    void specialMustacheNamesAreNotReferences() {
        assertThat(engine.validate(withTemplate("{{this}} {{.}} {{-first}}").build()))
                .extracting(ValidationProblem::code).containsOnly(ValidationProblem.UNKNOWN_REFERENCE, ValidationProblem.TEMPLATE_SYNTAX).contains(ValidationProblem.UNKNOWN_REFERENCE);
    }
}
