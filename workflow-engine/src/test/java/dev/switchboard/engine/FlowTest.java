package dev.switchboard.engine;

import static dev.switchboard.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Branching, joins, checkpoints, review suspension, streaming, the node SPI and listener behaviour. */
class FlowTest {

    private final ScriptedKind steps = new ScriptedKind();
    private final FakeModelClient model = FakeModelClient.answering("Hello there friend");
    private final WorkflowEngine engine = WorkflowEngine.builder().nodeKind(steps).modelClient(model)
            .service(StringBuilder.class, new StringBuilder("svc")).build();
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void close() {
        engine.close();
    }

    private RunOutcome run(Graphs g, RunRequest request) {
        return engine.run(engine.compile(g.build()), request, listener);
    }

    /** in → c (condition on in.n) → yes | no → join (output) */
    private static Graphs diamond() {
        return graph()
                .node("in", "input", "{\"fields\": [{\"name\": \"n\", \"type\": \"number\", \"required\": true}]}")
                .node("c", "condition", "{\"expression\": \"nodes['in'].n > 10\"}")
                .transform("big", "big {{in.n}}")
                .transform("small", "small {{in.n}}")
                .output("join", "answer", "{{big.text}}{{small.text}}")
                .edge("in", "c").edge("c", "big", "true").edge("c", "small", "false")
                .edge("big", "join").edge("small", "join");
    }

    @Test
    void aJoinAfterAConditionRunsWithTheTakenBranch() {
        RunOutcome high = run(diamond(), RunRequest.of("r1", Map.of("n", 42)));
        assertThat(high.outputs()).containsEntry("answer", "big 42");
        assertThat(listener.trace()).containsSubsequence("NodeFinished:c:SUCCEEDED", "NodeSkipped:small",
                "NodeStarted:join");

        RunOutcome low = run(diamond(), RunRequest.of("r2", Map.of("n", "3")));
        assertThat(low.outputs()).containsEntry("answer", "small 3");
    }

    @Test
    void skippingPropagatesToNodesWhoseEveryPathWasNotTaken() {
        Graphs g = graph().input("in", "text")
                .node("c", "condition", "{\"expression\": \"false\"}")
                .transform("t1", "x").transform("t2", "{{t1.text}}")
                .output("o1", "a", "{{t2.text}}").output("o2", "b", "fallback")
                .edge("in", "c").edge("c", "t1", "true").edge("t1", "t2").edge("t2", "o1").edge("c", "o2", "false");

        RunOutcome outcome = run(g, RunRequest.of("r", Map.of()));

        assertThat(outcome.outputs()).containsExactly(Map.entry("b", "fallback"));
        assertThat(listener.of(RunEvent.NodeSkipped.class)).extracting(RunEvent.NodeSkipped::nodeId)
                .containsExactlyInAnyOrder("t1", "t2", "o1");
    }

    @Test
    void mergesEveryOutputNodeThatRanInDefinitionOrder() {
        Graphs g = graph().input("in", "text")
                .node("o1", "output", "{\"values\": {\"a\": \"1\", \"shared\": \"first\", \"n\": 7, \"obj\": {\"k\": [1, 2]}}}")
                .node("o2", "output", "{\"values\": {\"b\": \"{{in.text}}\", \"shared\": \"second\"}}")
                .edge("in", "o1").edge("in", "o2");

        RunOutcome outcome = run(g, RunRequest.of("r", Map.of("text", "hi")));

        assertThat(outcome.outputs()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "shared", "second", "n", 7L,
                "obj", Map.of("k", List.of(1L, 2L)), "b", "hi"));
        assertThat(engine.compile(g.build()).outputNames()).containsExactly("a", "shared", "n", "obj", "b");
    }

    @Test
    void singleReferenceOutputsKeepTypesAndMissingValuesRenderEmpty() {
        Graphs g = graph()
                .node("in", "input", "{\"fields\": [{\"name\": \"n\", \"type\": \"number\"}, {\"name\": \"j\", \"type\": \"json\"}, {\"name\": \"opt\", \"type\": \"text\"}]}")
                .node("out", "output", "{\"values\": {\"n\": \"{{in.n}}\", \"j\": \"{{ in.j }}\", \"text\": \"n={{in.n}} j={{in.j}} opt=[{{in.opt}}]\", \"opt\": \"{{in.opt}}\"}}")
                .edge("in", "out");

        RunOutcome outcome = run(g, RunRequest.of("r", Map.of("n", 2.5, "j", Map.of("a", List.of(1, true)))));

        assertThat(outcome.outputs()).containsEntry("n", 2.5).containsEntry("j", Map.of("a", List.of(1L, true)))
                .containsEntry("text", "n=2.5 j={\"a\":[1,true]} opt=[]");
        assertThat(outcome.outputs().get("opt")).isNull();
    }

    @Test
    void resumesFromCheckpointsWithoutRerunningFinishedNodes() {
        Graphs g = graph().input("in", "text")
                .node("ai", "ai", "{\"model\": \"openai/gpt-4o-mini\", \"prompt\": \"{{in.text}}\"}")
                .transform("t", "AI said: {{ai.text}}")
                .output("out", "answer", "{{t.text}}")
                .edge("in", "ai").edge("ai", "t").edge("t", "out");
        Map<String, NodeResult> checkpoints = Map.of(
                "in", NodeResult.of(Map.of("text", "hi")),
                "ai", NodeResult.of(Map.of("text", "cached answer")));

        RunOutcome outcome = run(g, RunRequest.builder("resume").checkpoints(checkpoints).build());

        assertThat(outcome.outputs()).containsEntry("answer", "AI said: cached answer");
        assertThat(model.calls).isEmpty();
        assertThat(listener.trace()).containsExactly("RunStarted", "NodeStarted:t", "NodeFinished:t:SUCCEEDED",
                "NodeStarted:out", "NodeFinished:out:SUCCEEDED", "RunFinished:SUCCEEDED");
        assertThat(listener.of(RunEvent.RunStarted.class).getFirst().resumed()).containsExactlyInAnyOrder("in", "ai");
        assertThat(outcome.checkpoints()).containsKeys("in", "ai", "t", "out");
    }

    @Test
    void aSuspendedNodeWaitsForReviewWhileOtherBranchesFinishAndResumes() {
        steps.on("review", ctx -> NodeResult.suspend("needs approval", Map.of("text", ctx.outputsOf("in").orElseThrow().get("text"))));
        Graphs g = graph().input("in", "text")
                .node("review", "step", "{}")
                .transform("other", "side {{in.text}}")
                .output("out", "answer", "{{review.text}}")
                .output("side", "side", "{{other.text}}")
                .edge("in", "review").edge("review", "out").edge("in", "other").edge("other", "side");

        RunOutcome waiting = run(g, RunRequest.of("r", Map.of("text", "draft")));

        assertThat(waiting.status()).isEqualTo(RunStatus.WAITING_REVIEW);
        assertThat(waiting.suspensions()).containsExactly(new Suspension("review", "needs approval", Map.of("text", "draft")));
        assertThat(waiting.checkpoints()).containsKeys("in", "other", "side").doesNotContainKey("review");
        assertThat(listener.trace()).contains("NodeFinished:review:SUSPENDED", "NodeFinished:side:SUCCEEDED")
                .doesNotContain("NodeStarted:out");

        // a reviewer approved an edited text: the app resumes with the review node's result
        Map<String, NodeResult> checkpoints = new LinkedHashMap<>(waiting.checkpoints());
        checkpoints.put("review", NodeResult.of(Map.of("text", "approved text", "decision", "approved")));
        RunOutcome resumed = engine.run(engine.compile(g.build()), RunRequest.builder("r").checkpoints(checkpoints).build());

        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.outputs()).containsEntry("answer", "approved text").containsEntry("side", "side draft");
    }

    @Test
    void streamsTokenDeltasOnlyWhenAsked() {
        Graphs g = graph().input("in", "text")
                .node("ai", "ai", "{\"model\": \"openai/gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"{{in.text}}\"}]}")
                .output("out", "a", "{{ai.text}}").edge("in", "ai").edge("ai", "out");

        run(g, RunRequest.builder("s").inputs(Map.of("text", "hi")).streamTokens(true).build());
        assertThat(listener.trace()).containsSubsequence("NodeStarted:ai", "Token:ai:Hello ", "Token:ai:there ",
                "Token:ai:friend", "NodeFinished:ai:SUCCEEDED");
        assertThat(model.calls.getLast().messages()).containsExactly(ChatMessage.user("hi"));

        RecordingListener quiet = new RecordingListener();
        engine.run(engine.compile(g.build()), RunRequest.of("q", Map.of("text", "hi")), quiet);
        assertThat(quiet.of(RunEvent.TokenDelta.class)).isEmpty();
        assertThat(model.contexts.getLast().tokenSink()).isNull();
    }

    @Test
    void passesRunContextToTheModelClient() {
        Graphs g = graph().input("in", "text")
                .node("ai", "ai", "{\"model\": [\"openai/gpt-4o-mini\", \"local/gpt-j\"], \"prompt\": \"{{in.text}}\", \"stop\": [\"\\n\"], \"seed\": 3}")
                .output("out", "a", "{{ai.text}}").edge("in", "ai").edge("ai", "out");
        RunContext ctx = new RunContext("r9", "ws1", "app1", "twilio", Map.of());

        run(g, RunRequest.builder(ctx).inputs(Map.of("text", "hi")).build());

        assertThat(model.calls.getLast().models()).containsExactly("openai/gpt-4o-mini", "local/gpt-j");
        assertThat(model.calls.getLast().stop()).containsExactly("\n");
        assertThat(model.calls.getLast().seed()).isEqualTo(3L);
        assertThat(model.contexts.getLast().run()).isEqualTo(ctx);
        assertThat(model.contexts.getLast().nodeId()).isEqualTo("ai");
        assertThat(model.contexts.getLast().deadline()).isNotNull();
    }

    @Test
    void customNodeKindsPlugInThroughTheSpiWithServicesAndTrigger() {
        NodeKind shout = new NodeKind() {
            @Override
            public String type() {
                return "shout";
            }

            @Override
            public java.util.Optional<java.util.Set<String>> exposedFields(tools.jackson.databind.node.ObjectNode config) {
                return java.util.Optional.of(java.util.Set.of("text"));
            }

            @Override
            public NodeExecutor compile(NodeCompiler c) {
                Template text = c.template("text", c.requiredText("text").orElse(""));
                return ctx -> NodeResult.of(Map.of("text",
                        ctx.service(StringBuilder.class) + ":" + ctx.render(text).toUpperCase()));
            }
        };
        try (WorkflowEngine custom = WorkflowEngine.builder().nodeKind(shout)
                .service(StringBuilder.class, new StringBuilder("sms")).build()) {
            Graphs g = graph().input("in")
                    .node("s", "shout", "{\"text\": \"{{trigger.Body}} from {{trigger.From}}\"}")
                    .output("out", "reply", "{{s.text}}").edge("in", "s").edge("s", "out");
            RunOutcome outcome = custom.run(custom.compile(g.build()), RunRequest.builder("t")
                    .trigger(Map.of("Body", "hello", "From", "+15550100")).build());
            assertThat(outcome.outputs()).containsEntry("reply", "sms:HELLO FROM +15550100");
            assertThat(custom.nodeTypes()).contains("shout", "input", "ai");
            // problems of a custom kind are reported like the built-in ones
            assertThat(custom.validate(graph().input("in").node("s", "shout", "{}").output("out", "r", "{{s.txt}}")
                    .edge("in", "s").edge("s", "out").build()))
                    .extracting(ValidationProblem::code)
                    .containsExactlyInAnyOrder(ValidationProblem.MISSING_CONFIG, ValidationProblem.UNKNOWN_FIELD);
        }
    }

    @Test
    void listenerSeesEveryNodeAfterItsPredecessorsWithInputsAndLatency() {
        RunOutcome outcome = run(diamond(), RunRequest.of("r", Map.of("n", 1)));
        List<RunEvent> events = listener.events;

        assertThat(events.getFirst()).isInstanceOf(RunEvent.RunStarted.class);
        assertThat(events.getLast()).isEqualTo(new RunEvent.RunFinished(outcome));
        assertThat(listener.of(RunEvent.NodeStarted.class)).filteredOn(s -> s.nodeId().equals("small")).singleElement()
                .satisfies(s -> assertThat(s.inputs()).isEqualTo(Map.of("in", Map.of("n", 1L))));
        assertThat(listener.of(RunEvent.NodeFinished.class)).allSatisfy(f -> {
            assertThat(f.latency().isNegative()).isFalse();
            assertThat(f.attempts()).isEqualTo(1);
            assertThat(f.runId()).isEqualTo("r");
        });
        assertThat(listener.of(RunEvent.NodeFinished.class)).filteredOn(f -> f.nodeId().equals("c")).singleElement()
                .satisfies(f -> assertThat(f.outputs()).isEqualTo(Map.of("result", false)));
    }

    @Test
    void aThrowingListenerNeitherBreaksNorHangsTheRun() {
        AtomicInteger calls = new AtomicInteger();
        RunListener broken = RunListener.of(e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("database down");
        });

        RunOutcome outcome = engine.start(engine.compile(diamond().build()), RunRequest.of("r", Map.of("n", 50)), broken)
                .outcome().join();

        assertThat(outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outcome.outputs()).containsEntry("answer", "big 50");
        assertThat(calls.get()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void invalidInputsFailTheRunAtTheInputNode() {
        RunOutcome outcome = run(diamond(), RunRequest.of("r", Map.of("n", "lots")));

        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).isEqualTo(new RunError("in", "invalid_input", "'n' must be a number."));
    }

    @Test
    void aKindThatOwnsTimeoutGetsTheKeyUnparsed() {
        NodeKind review = new NodeKind() {
            @Override
            public String type() {
                return "review";
            }

            @Override
            public boolean handlesTimeout() {
                return true;
            }

            @Override
            public NodeExecutor compile(NodeCompiler c) {
                String timeout = c.requiredText("timeout").orElse("");
                return ctx -> NodeResult.of(Map.of("text", "reviewer has " + timeout));
            }
        };
        try (WorkflowEngine custom = WorkflowEngine.builder().nodeKind(review).build()) {
            Graphs g = graph().input("in").node("r", "review", "{\"timeout\": \"P2D\"}")
                    .output("out", "x", "{{r.text}}").edge("in", "r").edge("r", "out");
            assertThat(custom.run(custom.compile(g.build()), RunRequest.of("t", Map.of())).outputs())
                    .containsEntry("x", "reviewer has P2D");
            // the same key on a kind that does not own it is checked against the engine's limit
            assertThat(custom.validate(graph().input("in").node("t", "transform", "{\"template\": \"x\", \"timeout\": \"P2D\"}")
                    .output("out", "x", "{{t.text}}").edge("in", "t").edge("t", "out").build()))
                    .extracting(ValidationProblem::field).containsExactly("config.timeout");
        }
    }
}
