package dev.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad policy config is reported when the graph is validated, with node id, field and a clear message. */
class PolicyValidationTest {

    private final WorkflowEngine engine = PolicyGraphs.engine(ModelClient.unavailable());

    @AfterEach
    void close() {
        engine.close();
    }

    private List<ValidationProblem> problems(String type, String config) {
        return engine.validate(PolicyGraphs.single(type, config));
    }

    @Test
    void reportsAnInvalidRegexWithItsPosition() {
        assertThat(problems("policy.regex", "{\"text\": \"{{in.text}}\", \"deny\": [\"ok\", \"(unclosed\"]}"))
                .singleElement().satisfies(p -> {
                    assertThat(p.nodeId()).isEqualTo("p");
                    assertThat(p.field()).isEqualTo("config.deny[1]");
                    assertThat(p.code()).isEqualTo(ValidationProblem.INVALID_CONFIG);
                    assertThat(p.message()).startsWith("Invalid regular expression: Unclosed group");
                });
    }

    @Test
    void reportsEveryProblemOfAPolicyNodeAtOnce() {
        assertThat(problems("policy.pii", "{\"text\": \"{{in.nope}}\", \"action\": \"shred\", \"types\": [\"email\", \"dna\"], \"regions\": [\"XX\"]}"))
                .extracting(ValidationProblem::field)
                .containsExactlyInAnyOrder("config.text", "config.action", "config.types", "config.regions");
    }

    @Test
    void refusesRedactionWhereThereIsNothingToRedact() {
        assertThat(problems("policy.judge", "{\"text\": \"{{in.text}}\", \"model\": \"openai/gpt-4o-mini\", \"rubric\": \"polite\", \"action\": \"redact\"}"))
                .singleElement().satisfies(p -> {
                    assertThat(p.field()).isEqualTo("config.action");
                    assertThat(p.message()).contains("policy.judge has nothing to redact");
                });
        assertThat(problems("policy.length", "{\"text\": \"{{in.text}}\", \"minChars\": 3, \"action\": \"redact\"}"))
                .extracting(ValidationProblem::field).containsExactly("config.action");
    }

    @Test
    void checksKindSpecificKeys() {
        assertThat(problems("policy.blocklist", "{\"text\": \"{{in.text}}\"}")).extracting(ValidationProblem::field)
                .containsExactly("config.terms");
        assertThat(problems("policy.regex", "{\"text\": \"{{in.text}}\"}")).extracting(ValidationProblem::code)
                .containsExactly(ValidationProblem.MISSING_CONFIG);
        assertThat(problems("policy.length", "{\"text\": \"{{in.text}}\", \"maxChars\": 10, \"minChars\": 20}"))
                .extracting(ValidationProblem::field).containsExactly("config.minChars");
        assertThat(problems("policy.injection", "{\"text\": \"{{in.text}}\", \"threshold\": 1.5}"))
                .extracting(ValidationProblem::field).containsExactly("config.threshold");
        assertThat(problems("policy.rule", "{\"expression\": \"nodes['in'].text.size() +\"}"))
                .extracting(ValidationProblem::field).containsExactly("config.expression");
        assertThat(problems("policy.rule", "{\"expression\": \"nodes['in'].text.size()\"}"))
                .extracting(ValidationProblem::code).containsExactly(ValidationProblem.EXPRESSION_ERROR);
        assertThat(problems("policy.judge", "{\"text\": \"{{in.text}}\", \"model\": \"gpt-4\", \"rubric\": \"polite\"}"))
                .extracting(ValidationProblem::field).containsExactly("config.model");
        assertThat(problems("policy.pii", "{\"text\": \"{{in.text}}\", \"action\": \"flag\", \"restore\": true}"))
                .extracting(ValidationProblem::field).containsExactly("config.restore");
    }

    @Test
    void acceptsValidPolicyConfig() {
        assertThat(problems("policy.pii", "{\"text\": \"{{in.text}}\", \"types\": [\"email\", \"phone\"], \"regions\": [\"US\", \"gb\"], \"restore\": true}")).isEmpty();
        assertThat(problems("policy.regex", "{\"text\": \"{{in.text}}\", \"deny\": [{\"name\": \"order\", \"pattern\": \"ORD-\\\\d+\"}], \"allow\": \"^[\\\\s\\\\S]{1,500}$\", \"caseInsensitive\": true}")).isEmpty();
        assertThat(problems("policy.rule", "{\"expression\": \"nodes['in'].text.size() > 10\", \"action\": \"review\", \"reviewTimeout\": \"2d\"}")).isEmpty();
    }

    @Test
    void reviewTimeoutIsTheReviewersTimeNotTheNodeAttemptLimit() {
        // 7 days is far above the engine's 1-hour attempt limit: the review kind owns 'timeout'
        assertThat(problems("review", "{\"text\": \"{{in.text}}\", \"timeout\": \"7d\", \"onTimeout\": \"approve\"}")).isEmpty();
        assertThat(problems("review", "{\"text\": \"{{in.text}}\", \"timeout\": \"40d\", \"onTimeout\": \"maybe\"}"))
                .extracting(ValidationProblem::field).containsExactlyInAnyOrder("config.timeout", "config.onTimeout");
        assertThat(problems("review", "{\"text\": \"{{in.text}}\", \"timeout\": \"soon\"}"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("\"soon\" is not a duration"));
    }

    @Test
    void restoreMustNameAnUpstreamPiiNodeThatKeepsItsValues() {
        GraphDefinition g = Graphs.graph().input("in", "text")
                .node("mask", "policy.pii", "{\"text\": \"{{in.text}}\"}")
                .node("back", "policy.restore", "{\"text\": \"{{mask.text}}\", \"from\": \"mask\"}")
                .output("out", "answer", "{{back.text}}")
                .edge("in", "mask").edge("mask", "back").edge("back", "out").build();
        assertThat(engine.validate(g)).singleElement().satisfies(p -> {
            assertThat(p.nodeId()).isEqualTo("back");
            assertThat(p.field()).isEqualTo("config.from");
            assertThat(p.code()).isEqualTo(ValidationProblem.UNKNOWN_FIELD);
        });
    }

    @Test
    void policyOutputsAreKnownToTemplatesDownstream() {
        GraphDefinition g = Graphs.graph().input("in", "text")
                .node("p", "policy.injection", "{\"text\": \"{{in.text}}\"}")
                .output("out", "answer", "{{p.text}} {{p.score}} {{p.flags}} {{p.verdict}}")
                .edge("in", "p").edge("p", "out").build();
        assertThat(engine.validate(g)).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ValidationProblem.UNKNOWN_FIELD);
            assertThat(p.message()).contains("'verdict'");
        });
    }
}
