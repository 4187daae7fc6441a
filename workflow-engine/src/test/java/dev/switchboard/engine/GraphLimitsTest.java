package dev.switchboard.engine;

import static dev.switchboard.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The configurable graph-size caps: nodes, edges and the longest path, each a clear {@code too_large} problem. */
class GraphLimitsTest {

    private static List<ValidationProblem> validate(EngineLimits limits, Graphs g) {
        try (WorkflowEngine engine = WorkflowEngine.builder().limits(limits).build()) {
            return engine.validate(g.build());
        }
    }

    /** input → t1 → ... → t{length} → output: a path of length + 2 nodes. */
    private static Graphs chain(int length) {
        Graphs g = graph().input("in", "text");
        String previous = "in";
        for (int i = 1; i <= length; i++) {
            g.transform("t" + i, "{{in.text}}").edge(previous, "t" + i);
            previous = "t" + i;
        }
        return g.output("out", "answer", "{{in.text}}").edge(previous, "out");
    }

    @Test
    void aPathLongerThanTheDepthLimitIsRefusedNamingWhereItEnds() {
        EngineLimits limits = EngineLimits.defaults().withGraphSize(500, 2000, 10);

        assertThat(validate(limits, chain(8))).isEmpty(); // exactly 10 nodes deep
        List<ValidationProblem> problems = validate(limits, chain(9));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.code()).isEqualTo(ValidationProblem.TOO_LARGE);
            assertThat(p.message()).isEqualTo("The longest path of the graph has 11 nodes (ending at 'out'); the limit is 10.");
        });
    }

    @Test
    void depthCountsTheLongestPathNotTheNodeCount() {
        // 30 nodes side by side between input and output: wide, 3 deep
        Graphs wide = graph().input("in", "text").output("out", "answer", "{{in.text}}");
        for (int i = 0; i < 30; i++) {
            wide.transform("w" + i, "x").edge("in", "w" + i).edge("w" + i, "out");
        }
        assertThat(validate(EngineLimits.defaults().withGraphSize(500, 2000, 3), wide)).isEmpty();
    }

    @Test
    void aCyclicGraphReportsTheCycleNotADepth() {
        Graphs cyclic = chain(3).edge("t3", "t1");
        assertThat(validate(EngineLimits.defaults().withGraphSize(500, 2000, 2), cyclic))
                .extracting(ValidationProblem::code).contains(ValidationProblem.CYCLE)
                .doesNotContain(ValidationProblem.TOO_LARGE);
    }

    @Test
    void nodeAndEdgeCapsAreConfigurable() {
        EngineLimits limits = EngineLimits.defaults().withGraphSize(5, 4, 100);
        assertThat(validate(limits, chain(4))).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("The graph has 6 nodes; the limit is 5."));
        EngineLimits fewEdges = EngineLimits.defaults().withGraphSize(100, 4, 100);
        assertThat(validate(fewEdges, chain(4))).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("The graph has 5 edges; the limit is 4."));
    }

    @Test
    void aDeepChainWithinTheDefaultsCompilesAndRuns() {
        try (WorkflowEngine engine = WorkflowEngine.builder().build()) {
            CompiledGraph compiled = engine.compile(chain(150).build());
            RunOutcome outcome = engine.run(compiled, RunRequest.of("deep-run", java.util.Map.of("text", "deep")));
            assertThat(outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(outcome.outputs()).containsEntry("answer", "deep");
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> EngineLimits.defaults().withGraphSize(10, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDepth must be >= 1, was 0");
    }
}
