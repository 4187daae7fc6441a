package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.WorkflowEngine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ShareFormTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static WorkflowEngine engine;
    private static ShareForm form;
    private static CompiledGraph graph;

    @BeforeAll
    static void compile() {
        engine = WorkflowEngine.builder().build();
        graph = engine.compile(GraphDefinition.fromJson("""
                {"nodes": [
                  {"id": "in", "type": "input", "config": {"fields": [
                    {"name": "review", "type": "text", "required": true, "maxLength": 2000, "label": "Your review",
                     "help": "As the customer wrote it", "placeholder": "Loved it!"},
                    {"name": "city", "type": "text", "maxLength": 40},
                    {"name": "long_note", "type": "text", "multiline": false},
                    {"name": "stars", "type": "number"},
                    {"name": "urgent", "type": "boolean", "default": true},
                    {"name": "meta", "type": "json", "default": {"a": 1}}]}},
                  {"id": "out", "type": "output", "config": {"values": {"r": "{{in.review}}"}}}],
                 "edges": [{"from": "in", "to": "out"}]}"""));
        form = ShareForm.of(graph);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void fieldsComeFromTheInputNodeWithPageHints() {
        List<ShareForm.Spec> specs = form.specs();

        assertThat(specs).extracting(ShareForm.Spec::name).containsExactly("review", "city", "long_note", "stars", "urgent", "meta");
        ShareForm.Spec review = specs.get(0);
        assertThat(review.label()).isEqualTo("Your review");
        assertThat(review.help()).isEqualTo("As the customer wrote it");
        assertThat(review.placeholder()).isEqualTo("Loved it!");
        assertThat(review.multiline()).isTrue();
        assertThat(specs.get(1).multiline()).as("short limit: one line").isFalse();
        assertThat(specs.get(1).label()).isEqualTo("City");
        assertThat(specs.get(2).multiline()).as("the hint wins").isFalse();
        assertThat(specs.get(2).label()).isEqualTo("Long note");
        assertThat(form.defaults(JSON)).containsEntry("urgent", "true").containsKey("meta").doesNotContainKey("city");
    }

    @Test
    void aFormPostBecomesTypedInputsAndLeavesEmptyOptionalFieldsOut() {
        ShareForm.Submission s = form.fromForm("review=Great+food%21%0D%0Ayes&city=&stars=4.5&meta=%7B%22b%22%3A2%7D", JSON);

        assertThat(s.errors()).isEmpty();
        assertThat(s.inputs()).containsEntry("review", "Great food!\nyes").containsEntry("stars", "4.5")
                .containsEntry("urgent", false).containsEntry("meta", Map.of("b", 2)).doesNotContainKey("city");
        assertThat(graph.prepareInputs(s.inputs()).valid()).isTrue();
        assertThat(graph.prepareInputs(s.inputs()).values()).containsEntry("stars", 4.5);
        assertThat(form.fromForm("review=x&urgent=true", JSON).inputs()).containsEntry("urgent", true);
    }

    @Test
    void badJsonIsAFieldErrorAndEngineProblemsBecomePlainMessages() {
        ShareForm.Submission s = form.fromForm("review=&stars=lots&meta=%7Boops", JSON);

        assertThat(s.errors()).containsOnlyKeys("meta");
        assertThat(s.errors().get("meta")).startsWith("This is not valid JSON");
        Map<String, String> messages = form.messages(graph.prepareInputs(s.inputs()).problems());
        assertThat(messages).containsEntry("review", "Please fill in Your review.")
                .containsEntry("stars", "Please enter a number.");
        assertThat(form.messages(graph.prepareInputs(Map.of("review", "x".repeat(2001))).problems()))
                .containsEntry("review", "This is too long: Your review takes at most 2000 characters.");
    }

    @Test
    void aFormFieldThatIsNoInputOrComesTwiceIsRefused() {
        assertThatThrownBy(() -> form.fromForm("review=x&graph=%7B%7D", JSON))
                .isInstanceOfSatisfying(Refusal.Refused.class, e -> assertThat(e.refusal())
                        .isInstanceOfSatisfying(Refusal.NotAccepted.class, n -> assertThat(n.problems())
                                .singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("graph"))));
        assertThatThrownBy(() -> form.fromForm("review=x&review=y", JSON)).isInstanceOf(Refusal.Refused.class);
        assertThatThrownBy(() -> form.fromForm("review=%zz", JSON)).isInstanceOf(Refusal.Refused.class);
    }

    @Test
    void aJsonBodyIsExactlyInputsAndNothingElse() {
        assertThat(ShareForm.fromJson(JSON.readTree("{\"inputs\": {\"review\": \"x\", \"stars\": 3}}"), JSON))
                .containsEntry("review", "x").containsEntry("stars", 3);
        assertThat(ShareForm.fromJson(JSON.readTree("{}"), JSON)).isEmpty();
        for (String smuggled : List.of("{\"inputs\": {}, \"graph\": {\"nodes\": []}}", "{\"inputs\": {}, \"version\": \"draft\"}",
                "{\"inputs\": {}, \"model\": \"openai/gpt-4o\"}", "{\"inputs\": {}, \"config\": {}}", "{\"inputs\": [1]}",
                "[]", "\"inputs\"")) {
            assertThatThrownBy(() -> ShareForm.fromJson(JSON.readTree(smuggled), JSON)).as(smuggled)
                    .isInstanceOf(Refusal.Refused.class);
        }
    }

    @Test
    void namesBecomeLabels() {
        assertThat(ShareForm.humanize("customerReview")).isEqualTo("Customer review");
        assertThat(ShareForm.humanize("due_date")).isEqualTo("Due date");
        assertThat(ShareForm.humanize("x")).isEqualTo("X");
    }
}
