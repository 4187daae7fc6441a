package dev.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineRunTest {

    private final FakeModelClient model = new FakeModelClient(call ->
            call.prompt().contains("delicious") ? "positive: the food was delicious." : "Negative: it was cold.");
    private final WorkflowEngine engine = WorkflowEngine.builder().modelClient(model).build();

    @AfterEach
    void close() {
        engine.close();
    }

    private CompiledGraph sentiment() {
        return engine.compile(GraphDefinition.fromJson(GraphJsonTest.resource("/graphs/sentiment.json")));
    }

    @Test
    void runsTheArchitectureExampleDownTheTrueBranch() {
        RecordingListener listener = new RecordingListener();
        RunOutcome outcome = engine.run(sentiment(), RunRequest.of("r1",
                Map.of("text", "The food was delicious… the service was excellent")), listener);

        assertThat(outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outcome.outputs()).containsEntry("answer", "positive: the food was delicious.")
                .containsEntry("mood", "positive");
        assertThat(model.calls).singleElement().satisfies(c -> {
            assertThat(c.models()).containsExactly("openai/gpt-4o-mini");
            assertThat(c.prompt()).startsWith("Text: The food was delicious… the service was excellent\nSentiment");
            assertThat(c.maxTokens()).isEqualTo(64);
            assertThat(c.temperature()).isEqualTo(0.0);
        });
        assertThat(listener.trace()).containsExactly(
                "RunStarted",
                "NodeStarted:in", "NodeFinished:in:SUCCEEDED",
                "NodeStarted:ask", "NodeFinished:ask:SUCCEEDED",
                "NodeStarted:ai", "NodeFinished:ai:SUCCEEDED",
                "NodeStarted:pos", "NodeFinished:pos:SUCCEEDED",
                "NodeSkipped:no",
                "NodeStarted:yes", "NodeFinished:yes:SUCCEEDED",
                "RunFinished:SUCCEEDED");
    }

    @Test
    void takesTheFalseBranchAndReportsUsage() {
        RecordingListener listener = new RecordingListener();
        RunOutcome outcome = engine.start(sentiment(), RunRequest.of("r2", Map.of("text", "cold soup")), listener)
                .outcome().join();

        assertThat(outcome.outputs()).containsEntry("mood", "not positive");
        RunEvent.NodeFinished ai = listener.of(RunEvent.NodeFinished.class).stream()
                .filter(f -> f.nodeId().equals("ai")).findFirst().orElseThrow();
        assertThat(ai.usage()).isNotNull();
        assertThat(ai.usage().tokens().output()).isPositive();
        assertThat(ai.usage().cost()).isEqualByComparingTo("0.0001");
        assertThat(ai.outputs()).containsEntry("model", "fake/gpt-4o-mini");
        assertThat(outcome.usage().total()).isEqualTo(ai.usage().tokens().total());
        assertThat(listener.trace()).contains("NodeSkipped:yes");
    }
}
