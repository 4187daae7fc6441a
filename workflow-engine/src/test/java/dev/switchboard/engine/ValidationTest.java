package dev.switchboard.engine;

import static dev.switchboard.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private final WorkflowEngine engine = WorkflowEngine.builder().build();

    @AfterEach
    void close() {
        engine.close();
    }

    private List<ValidationProblem> problems(Graphs g) {
        return engine.validate(g.build());
    }

    private static Graphs minimal() {
        return graph().input("in", "text").output("out", "answer", "{{in.text}}").edge("in", "out");
    }

    @Test
    void acceptsAMinimalGraph() {
        assertThat(problems(minimal())).isEmpty();
    }

    @Test
    void reportsEmptyGraph() {
        assertThat(engine.validate(new GraphDefinition(null, null)))
                .extracting(ValidationProblem::code).containsExactly(ValidationProblem.NO_NODES);
    }

    @Test
    void reportsGraphsOverTheSizeLimit() {
        Graphs g = graph();
        for (int i = 0; i < 501; i++) {
            g.transform("t" + i, "x");
        }
        assertThat(problems(g)).extracting(ValidationProblem::code).containsExactly(ValidationProblem.TOO_LARGE);
    }

    @Test
    void reportsBlankInvalidReservedAndDuplicateIds() {
        Graphs g = minimal().transform(" ", "x").transform("no.dots", "x").transform("trigger", "x")
                .transform("out", "x");
        assertThat(problems(g)).extracting(ValidationProblem::code, ValidationProblem::field).contains(
                org.assertj.core.groups.Tuple.tuple(ValidationProblem.BLANK_ID, "nodes[2].id"),
                org.assertj.core.groups.Tuple.tuple(ValidationProblem.INVALID_ID, "nodes[3].id"),
                org.assertj.core.groups.Tuple.tuple(ValidationProblem.RESERVED_ID, "id"),
                org.assertj.core.groups.Tuple.tuple(ValidationProblem.DUPLICATE_ID, "id"));
        assertThat(problems(g)).filteredOn(p -> p.code().equals(ValidationProblem.DUPLICATE_ID)).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("Two nodes have the id 'out'; ids must be unique."));
    }

    @Test
    void reportsMissingAndUnknownTypesNamingTheAvailableOnes() {
        Graphs g = minimal().node("x", null, "{}").node("y", "gpt", "{}").edge("in", "x").edge("in", "y");
        List<ValidationProblem> p = problems(g);
        assertThat(p).extracting(ValidationProblem::nodeId, ValidationProblem::code).contains(
                org.assertj.core.groups.Tuple.tuple("x", ValidationProblem.MISSING_TYPE),
                org.assertj.core.groups.Tuple.tuple("y", ValidationProblem.UNKNOWN_TYPE));
        assertThat(p).filteredOn(q -> q.nodeId().equals("y")).first().extracting(ValidationProblem::message)
                .isEqualTo("Node 'y' has the unknown type 'gpt'. Available types: ai, condition, input, output, transform.");
    }

    @Test
    void reportsDanglingAndDuplicateEdges() {
        Graphs g = minimal().edge("in", "nowhere").edge(null, "out").edge("in", "out");
        List<ValidationProblem> p = problems(g);
        assertThat(p).extracting(ValidationProblem::field, ValidationProblem::code).contains(
                org.assertj.core.groups.Tuple.tuple("edges[1].to", ValidationProblem.DANGLING_EDGE),
                org.assertj.core.groups.Tuple.tuple("edges[2].from", ValidationProblem.DANGLING_EDGE),
                org.assertj.core.groups.Tuple.tuple("edges[3]", ValidationProblem.DUPLICATE_EDGE));
        assertThat(p.getFirst().message()).contains("'nowhere', which is not a node in this graph");
    }

    @Test
    void reportsCyclesNamingTheirNodesInOrder() {
        Graphs g = minimal().transform("a", "x").transform("b", "x").transform("c", "x")
                .edge("in", "a").edge("a", "b").edge("b", "c").edge("c", "a").edge("c", "out");
        assertThat(problems(g)).filteredOn(p -> p.code().equals(ValidationProblem.CYCLE)).singleElement()
                .satisfies(p -> {
                    assertThat(p.nodeId()).isEqualTo("a");
                    assertThat(p.message()).isEqualTo("These nodes form a cycle: 'a' → 'b' → 'c' → 'a'. A workflow must not loop back.");
                });
    }

    @Test
    void reportsSelfLoops() {
        Graphs g = minimal().edge("out", "out");
        assertThat(problems(g)).extracting(ValidationProblem::code).contains(ValidationProblem.CYCLE);
    }

    @Test
    void reportsBadEdgeLabels() {
        Graphs g = graph().input("in", "text")
                .node("c", "condition", "{\"expression\": \"in.size() > 0\"}".replace("in.size()", "nodes['in'].text.size()"))
                .output("a", "x", "a").output("b", "x", "b").output("d", "x", "d").output("e", "x", "e")
                .edge("in", "c").edge("c", "a", "maybe").edge("c", "b").edge("in", "d", "true").edge("in", "e", "error");
        List<ValidationProblem> p = problems(g);
        assertThat(p).extracting(ValidationProblem::field, ValidationProblem::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("edges[1].when", ValidationProblem.INVALID_EDGE_LABEL),
                org.assertj.core.groups.Tuple.tuple("edges[2].when", ValidationProblem.MISSING_EDGE_LABEL),
                org.assertj.core.groups.Tuple.tuple("edges[3].when", ValidationProblem.INVALID_EDGE_LABEL),
                org.assertj.core.groups.Tuple.tuple("edges[4].when", ValidationProblem.INVALID_EDGE_LABEL));
        assertThat(p).extracting(ValidationProblem::message).contains(
                "The edge from 'c' to 'a' has when: \"maybe\"; it must be \"true\" or \"false\".",
                "The edge from 'c' to 'b' needs when: \"true\" or \"false\" because 'c' is a condition.",
                "The edge from 'in' to 'e' is followed on error, but 'in' does not have onError: \"edge\".");
    }

    @Test
    void reportsMissingInputAndOutput() {
        Graphs g = graph().transform("t", "hello");
        assertThat(problems(g)).extracting(ValidationProblem::code)
                .containsExactlyInAnyOrder(ValidationProblem.NO_INPUT, ValidationProblem.NO_OUTPUT);
    }

    @Test
    void reportsSecondInputAndEdgesIntoTheInput() {
        Graphs g = minimal().input("in2", "x").edge("out", "in");
        assertThat(problems(g)).extracting(ValidationProblem::nodeId, ValidationProblem::code).contains(
                org.assertj.core.groups.Tuple.tuple("in2", ValidationProblem.MULTIPLE_INPUTS),
                org.assertj.core.groups.Tuple.tuple("in", ValidationProblem.INPUT_HAS_INCOMING));
    }

    @Test
    void reportsUnreachableNodes() {
        Graphs g = minimal().transform("lonely", "x").output("o2", "y", "{{lonely.text}}").edge("lonely", "o2");
        assertThat(problems(g)).filteredOn(p -> p.code().equals(ValidationProblem.UNREACHABLE))
                .extracting(ValidationProblem::nodeId).containsExactly("lonely", "o2");
    }

    @Test
    void reportsMissingConfigPerKind() {
        Graphs g = graph().input("in", "text")
                .node("t", "transform", "{}").node("c", "condition", "{}").node("ai", "ai", "{}").node("out", "output", "{}")
                .edge("in", "t").edge("t", "c").edge("c", "ai", "true").edge("ai", "out");
        assertThat(problems(g)).extracting(ValidationProblem::nodeId, ValidationProblem::field, ValidationProblem::code)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("t", "config.template", ValidationProblem.MISSING_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("c", "config.expression", ValidationProblem.MISSING_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("ai", "config.model", ValidationProblem.MISSING_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("ai", "config.prompt", ValidationProblem.MISSING_CONFIG),
                        org.assertj.core.groups.Tuple.tuple("out", "config.values", ValidationProblem.MISSING_CONFIG));
    }

    @Test
    void reportsInvalidAiConfig() {
        Graphs g = graph().input("in", "text")
                .node("ai", "ai", """
                        {"model": "gpt-4", "prompt": "{{in.text}}", "maxTokens": 0, "temperature": 3, "topP": -1,
                         "stop": [1], "seed": "x", "timeout": "soon", "retry": {"attempts": 99}, "onError": "ignore"}""")
                .output("out", "a", "{{ai.text}}").edge("in", "ai").edge("ai", "out");
        assertThat(problems(g)).extracting(ValidationProblem::field).containsExactlyInAnyOrder(
                "config.model", "config.maxTokens", "config.temperature", "config.topP", "config.stop[0]", "config.seed",
                "config.timeout", "config.retry.attempts", "config.onError");
        assertThat(problems(g)).allMatch(p -> p.nodeId().equals("ai") && p.code().equals(ValidationProblem.INVALID_CONFIG));
    }

    @Test
    void acceptsAFallbackChainAndChatMessages() {
        Graphs g = graph().input("in", "text")
                .node("ai", "ai", """
                        {"model": ["openai/gpt-4o-mini", "local/gpt-j-6b"],
                         "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "{{in.text}}"}],
                         "stop": "\\n", "topK": 40, "seed": 7, "timeout": "30s", "retry": {"attempts": 3, "backoff": "PT1S"}}""")
                .output("out", "a", "{{ai.text}}").edge("in", "ai").edge("ai", "out");
        assertThat(problems(g)).isEmpty();
    }

    @Test
    void reportsOnErrorPoliciesThatCannotWork() {
        Graphs g = graph().input("in", "text")
                .node("t1", "transform", "{\"template\": \"x\", \"onError\": \"default\"}")
                .node("t2", "transform", "{\"template\": \"x\", \"onError\": \"edge\"}")
                .node("c", "condition", "{\"expression\": \"true\", \"onError\": \"default\", \"default\": \"yes\"}")
                .output("out", "a", "{{t1.text}}{{t2.text}}")
                .edge("in", "t1").edge("t1", "t2").edge("t2", "c").edge("c", "out", "true");
        assertThat(problems(g)).extracting(ValidationProblem::nodeId, ValidationProblem::field).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("t1", "config.default"),
                org.assertj.core.groups.Tuple.tuple("t2", "config.onError"),
                org.assertj.core.groups.Tuple.tuple("c", "config.default"));
    }

    @Test
    void reportsBadInputFieldDefinitions() {
        Graphs g = graph().node("in", "input", """
                        {"fields": [{"name": "a", "type": "date"}, {"type": "text"}, {"name": "a", "type": "text"},
                                    {"name": "n", "type": "number", "maxLength": 3}, {"name": "d", "type": "number", "default": "many"}]}""")
                .output("out", "a", "x").edge("in", "out");
        assertThat(problems(g)).extracting(ValidationProblem::field).containsExactlyInAnyOrder(
                "config.fields[0].type", "config.fields[1].name", "config.fields[2].name", "config.fields[3].maxLength",
                "config.fields[4].default");
    }

    @Test
    void reportsTemplateReferencesToUnknownDownstreamAndParallelNodesAndUnknownFields() {
        Graphs g = graph().input("in", "text")
                .transform("a", "{{ghost.text}} {{b.text}} {{in.txt}} {{a.text}} {{trigger.Body}} {{in.text}}")
                .transform("b", "{{in.text}}")
                .output("out", "x", "{{a.text}} {{b.text}} {{b.nope}}")
                .edge("in", "a").edge("in", "b").edge("a", "out").edge("b", "out");
        List<ValidationProblem> p = problems(g);
        assertThat(p).extracting(ValidationProblem::nodeId, ValidationProblem::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("a", ValidationProblem.UNKNOWN_REFERENCE),
                org.assertj.core.groups.Tuple.tuple("a", ValidationProblem.NOT_UPSTREAM),
                org.assertj.core.groups.Tuple.tuple("a", ValidationProblem.UNKNOWN_FIELD),
                org.assertj.core.groups.Tuple.tuple("a", ValidationProblem.NOT_UPSTREAM),
                org.assertj.core.groups.Tuple.tuple("out", ValidationProblem.UNKNOWN_FIELD));
        assertThat(p).extracting(ValidationProblem::message).contains(
                "{{ghost.text}} refers to 'ghost', which is not a node in this graph.",
                "{{b.text}} uses node 'b', which does not run before 'a'. Connect 'b' to 'a' (directly or through other nodes) to use its results.",
                "{{in.txt}}: node 'in' has no field 'txt'. Available: text.",
                "{{a.text}} refers to this node itself; use a node that runs before it.",
                "{{b.nope}}: node 'b' has no field 'nope'. Available: json, text.");
    }

    @Test
    void reportsTemplateSyntaxAndUnsupportedTags() {
        Graphs g = graph().input("in", "text")
                .transform("a", "{{in.text")
                .transform("b", "{{#in.text}}yes{{/in.text}}")
                .output("out", "x", "{{> footer}}")
                .edge("in", "a").edge("a", "b").edge("b", "out");
        assertThat(problems(g)).extracting(ValidationProblem::nodeId, ValidationProblem::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("a", ValidationProblem.TEMPLATE_SYNTAX),
                org.assertj.core.groups.Tuple.tuple("b", ValidationProblem.TEMPLATE_UNSUPPORTED),
                org.assertj.core.groups.Tuple.tuple("out", ValidationProblem.TEMPLATE_UNSUPPORTED));
    }

    @Test
    void reportsConditionExpressionsThatDoNotCompile() {
        Graphs g = graph().input("in", "text")
                .node("c1", "condition", "{\"expression\": \"nodes['in'].text.contains(\"}")
                .node("c2", "condition", "{\"expression\": \"'just text'\"}")
                .node("c3", "condition", "{\"expression\": \"ghost.ok\"}")
                .node("c4", "condition", "{\"expression\": \"out2.x == 1\"}")
                .output("out", "x", "done").output("out2", "x", "{{in.text}}")
                .edge("in", "c1").edge("c1", "c2", "true").edge("c2", "c3", "true").edge("c3", "c4", "true")
                .edge("c4", "out", "true").edge("c4", "out2", "false");
        List<ValidationProblem> p = problems(g);
        assertThat(p).extracting(ValidationProblem::nodeId, ValidationProblem::code).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("c1", ValidationProblem.EXPRESSION_ERROR),
                org.assertj.core.groups.Tuple.tuple("c2", ValidationProblem.EXPRESSION_ERROR),
                org.assertj.core.groups.Tuple.tuple("c3", ValidationProblem.UNKNOWN_REFERENCE),
                org.assertj.core.groups.Tuple.tuple("c4", ValidationProblem.NOT_UPSTREAM));
        assertThat(p).extracting(ValidationProblem::message)
                .contains("The condition must produce true or false, but it produces a string.")
                .anyMatch(m -> m.startsWith("The expression refers to 'ghost', which is not a node in this graph"));
    }

    @Test
    void hintsAtNodesSyntaxForIdsThatAreCelKeywords() {
        Graphs g = graph().input("in", "text").node("c", "condition", "{\"expression\": \"in.text == 'x'\"}")
                .output("out", "x", "y").edge("in", "c").edge("c", "out", "true");
        assertThat(problems(g)).singleElement().satisfies(p ->
                assertThat(p.message()).contains("Node 'in' is not a valid CEL name; write nodes['in'] instead."));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Graphs g = graph()
                .node("a", "transform", "{\"template\": \"{{zzz.text}}\"}")
                .node("a", "transform", "{}")
                .node("b", "teleport", "{}")
                .node("c", "ai", "{\"model\": \"x\", \"prompt\": \"hi\"}")
                .edge("a", "b").edge("b", "a").edge("c", "missing");
        List<String> codes = new ArrayList<>(problems(g).stream().map(ValidationProblem::code).toList());
        assertThat(codes).contains(ValidationProblem.DUPLICATE_ID, ValidationProblem.UNKNOWN_TYPE, ValidationProblem.DANGLING_EDGE,
                ValidationProblem.CYCLE, ValidationProblem.NO_INPUT, ValidationProblem.NO_OUTPUT,
                ValidationProblem.UNKNOWN_REFERENCE, ValidationProblem.INVALID_CONFIG);
    }

    @Test
    void compileThrowsWithEveryProblem() {
        GraphDefinition bad = graph().transform("t", "{{x.y}}").build();
        assertThatThrownBy(() -> engine.compile(bad))
                .isInstanceOfSatisfying(GraphValidationException.class, e -> {
                    assertThat(e.problems()).hasSize(engine.validate(bad).size()).hasSizeGreaterThanOrEqualTo(3);
                    assertThat(e.getMessage()).startsWith("The graph has " + e.problems().size() + " problems");
                });
    }

    @Test
    void validatesTheLargestAllowedGraphQuickly() {
        Graphs g = graph().input("in", "text");
        String previous = "in";
        for (int i = 0; i < 497; i++) {
            String id = "n" + i;
            if (i % 2 == 0) {
                g.node(id, "condition", "{\"expression\": \"nodes['in'].text.size() > " + i + "\"}");
            } else {
                g.transform(id, "{{in.text}} {{" + previous + (previous.startsWith("n") && (i - 1) % 2 == 0 ? ".result" : ".text") + "}}");
            }
            g.edge(previous, id, previous.startsWith("n") && (i - 1) % 2 == 0 ? "true" : null);
            previous = id;
        }
        g.output("out", "a", "{{in.text}}").edge(previous, "out", "true"); // n496 is a condition
        long t0 = System.nanoTime();
        List<ValidationProblem> p = problems(g);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(p).isEmpty();
        // generous bound: a hostile 500-node graph must not tie up a request thread
        assertThat(ms).isLessThan(10_000);
    }
}
