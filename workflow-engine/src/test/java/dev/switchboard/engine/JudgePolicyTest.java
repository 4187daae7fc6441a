package dev.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code policy.judge}: an LLM verdict through the engine's ModelClient, parsed strictly. */
class JudgePolicyTest {

    private static final String GRAPH_CONFIG = "{\"text\": \"{{in.text}}\", \"model\": \"fake/judge\","
            + " \"rubric\": \"The reply must be polite.\", \"message\": \"Please rephrase.\"%s}";

    private static RunOutcome run(FakeModelClient model, String extra, boolean stream) {
        return run(model, extra, stream, RunListener.NOOP);
    }

    private static RunOutcome run(FakeModelClient model, String extra, boolean stream, RunListener listener) {
        try (WorkflowEngine engine = PolicyGraphs.engine(model)) {
            return engine.run(engine.compile(PolicyGraphs.single("policy.judge", GRAPH_CONFIG.formatted(extra))),
                    RunRequest.builder("j-" + System.nanoTime()).inputs(Map.of("text", "you are useless")).streamTokens(stream).build(),
                    listener);
        }
    }

    @Test
    void aFailVerdictBlocksWithTheConfiguredMessage() {
        FakeModelClient model = FakeModelClient.answering("{\"verdict\": \"fail\", \"reason\": \"Insults the customer.\"}");
        RecordingListener listener = new RecordingListener();
        RunOutcome o = run(model, "", true, listener);

        assertThat(o.status()).isEqualTo(RunStatus.BLOCKED);
        assertThat(o.error().message()).isEqualTo("Please rephrase.");
        assertThat(model.calls).singleElement().satisfies(c -> {
            assertThat(c.isChat()).isTrue();
            assertThat(c.messages().getFirst().content()).contains("The reply must be polite.").contains("\"verdict\"");
            assertThat(c.messages().getLast().content()).isEqualTo("<content>\nyou are useless\n</content>");
            assertThat(c.temperature()).isEqualTo(0.0);
        });
        assertThat(model.contexts.getFirst().tokenSink()).as("a verdict is never streamed to the user").isNull();
        NodeResult.Blocked blocked = (NodeResult.Blocked) listener.of(RunEvent.NodeFinished.class).stream()
                .filter(f -> f.nodeId().equals("p")).findFirst().orElseThrow().result();
        assertThat(blocked.details()).containsEntry("reason", "Judge (fake/judge): Insults the customer.");
        assertThat(blocked.details().get("usage")).asString().contains("model=fake/judge");
    }

    @Test
    void aPassVerdictInACodeFenceLetsTheTextThroughAndCountsTokens() {
        FakeModelClient model = FakeModelClient.answering("```json\n{\"verdict\": \"PASS\", \"reason\": \"ok\", \"score\": 0.1}\n```");
        RunOutcome o = run(model, "", false);
        assertThat(o.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(o.outputs()).containsEntry("answer", "you are useless");
        assertThat(o.usage().output()).isPositive();
    }

    @Test
    void anUnparsableVerdictFollowsTheNodesOnErrorPolicy() {
        FakeModelClient chatty = FakeModelClient.answering("I think this passes. {\"verdict\": \"pass\"}");
        RunOutcome failed = run(chatty, "", false);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().type()).isEqualTo("judge_unparsable");

        RunOutcome defaulted = run(FakeModelClient.answering("{\"verdict\": \"maybe\"}"),
                ", \"onError\": \"default\", \"default\": \"[held back]\"", false);
        assertThat(defaulted.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(defaulted.outputs()).containsEntry("answer", "[held back]");
    }
}
