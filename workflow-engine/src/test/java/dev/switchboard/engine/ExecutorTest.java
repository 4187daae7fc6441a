package dev.switchboard.engine;

import static dev.switchboard.engine.Graphs.graph;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExecutorTest {

    private final ScriptedKind steps = new ScriptedKind();
    private final List<Duration> slept = new CopyOnWriteArrayList<>();
    private final WorkflowEngine engine = WorkflowEngine.builder()
            .nodeKind(steps)
            .sleeper(slept::add)
            .limits(EngineLimits.defaults().withCancelGrace(Duration.ofMillis(300)))
            .build();
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void close() {
        engine.close();
    }

    private RunOutcome run(Graphs g, Map<String, Object> inputs) {
        return engine.run(engine.compile(g.build()), RunRequest.of("run-1", inputs), listener);
    }

    private static Graphs fork() {
        return graph().input("in", "text")
                .node("a", "step", "{}").node("b", "step", "{}")
                .output("out", "answer", "{{a.text}}+{{b.text}}")
                .edge("in", "a").edge("in", "b").edge("a", "out").edge("b", "out");
    }

    /** Blocks until interrupted; returns normally only if never interrupted within 10 s. */
    private static NodeResult blockUntilInterrupted() throws InterruptedException {
        new CountDownLatch(1).await(10, TimeUnit.SECONDS);
        return NodeResult.of(Map.of("text", "not interrupted"));
    }

    @Test
    void independentBranchesOverlapInTime() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        NodeExecutor meetTheOther = ctx -> {
            bothRunning.countDown();
            // only returns true if the sibling is running at the same time
            boolean met = bothRunning.await(5, TimeUnit.SECONDS);
            return NodeResult.of(Map.of("text", met ? "met" : "alone"));
        };
        steps.on("a", meetTheOther).on("b", meetTheOther);

        RunOutcome outcome = run(fork(), Map.of("text", "x"));

        assertThat(outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outcome.outputs()).containsEntry("answer", "met+met");
    }

    @Test
    void aJoinWaitsForAllItsPredecessors() {
        CountDownLatch release = new CountDownLatch(1);
        steps.on("a", ctx -> NodeResult.of(Map.of("text", "fast")));
        steps.on("b", ctx -> {
            release.await(5, TimeUnit.SECONDS);
            return NodeResult.of(Map.of("text", "slow"));
        });
        RunHandle handle = engine.start(engine.compile(fork().build()), RunRequest.of("r", Map.of("text", "x")), listener);
        // poll with a deadline: 'a' finishes, 'out' must not start while 'b' is running
        awaitEvent("NodeFinished:a:SUCCEEDED");
        assertThat(listener.trace()).doesNotContain("NodeStarted:out");
        release.countDown();
        RunOutcome outcome = handle.outcome().join();
        assertThat(outcome.outputs()).containsEntry("answer", "fast+slow");
        assertThat(listener.trace().indexOf("NodeStarted:out")).isGreaterThan(listener.trace().indexOf("NodeFinished:b:SUCCEEDED"));
    }

    @Test
    void aNodeThatOverrunsItsTimeoutFailsTheRun() {
        steps.on("a", ctx -> blockUntilInterrupted());
        Graphs g = graph().input("in", "text").node("a", "step", "{\"timeout\": 50}").output("out", "x", "{{a.text}}")
                .edge("in", "a").edge("a", "out");

        RunOutcome outcome = run(g, Map.of());

        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).isEqualTo(new RunError("a", "timeout", "The node did not finish within 50 ms."));
        assertThat(listener.trace()).contains("NodeFailed:a:1:FAIL_RUN").doesNotContain("NodeStarted:out");
    }

    @Test
    void retriesWithExponentialBackoffThenSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        steps.on("a", ctx -> calls.incrementAndGet() < 3
                ? NodeResult.fail("flaky", "try again", true)
                : NodeResult.of(Map.of("text", "attempt " + ctx.attempt())));
        Graphs g = graph().input("in", "text")
                .node("a", "step", "{\"retry\": {\"attempts\": 4, \"backoff\": \"100ms\", \"maxBackoff\": \"150ms\"}}")
                .output("out", "x", "{{a.text}}").edge("in", "a").edge("a", "out");

        RunOutcome outcome = run(g, Map.of());

        assertThat(outcome.outputs()).containsEntry("x", "attempt 3");
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150));
        assertThat(listener.trace()).containsSubsequence("NodeStarted:a", "NodeFailed:a:1:RETRY", "NodeFailed:a:2:RETRY",
                "NodeFinished:a:SUCCEEDED");
        assertThat(listener.of(RunEvent.NodeFinished.class)).filteredOn(f -> f.nodeId().equals("a"))
                .singleElement().extracting(RunEvent.NodeFinished::attempts).isEqualTo(3);
    }

    @Test
    void doesNotRetryPermanentErrors() {
        AtomicInteger calls = new AtomicInteger();
        steps.on("a", ctx -> {
            calls.incrementAndGet();
            throw new ModelCallException("invalid API key for provider 'openai'", false, 401);
        });
        Graphs g = graph().input("in", "text").node("a", "step", "{\"retry\": 5}").output("out", "x", "{{a.text}}")
                .edge("in", "a").edge("a", "out");

        RunOutcome outcome = run(g, Map.of());

        assertThat(calls).hasValue(1);
        assertThat(outcome.error()).isEqualTo(new RunError("a", "model_error", "invalid API key for provider 'openai'"));
    }

    @Test
    void retriesTimeouts() {
        AtomicInteger calls = new AtomicInteger();
        steps.on("a", ctx -> calls.incrementAndGet() == 1 ? blockUntilInterrupted() : NodeResult.of(Map.of("text", "ok")));
        Graphs g = graph().input("in", "text").node("a", "step", "{\"timeout\": \"40ms\", \"retry\": 2}")
                .output("out", "x", "{{a.text}}").edge("in", "a").edge("a", "out");

        assertThat(run(g, Map.of()).outputs()).containsEntry("x", "ok");
        assertThat(listener.of(RunEvent.NodeFailed.class)).singleElement()
                .satisfies(f -> assertThat(f.error().type()).isEqualTo("timeout"));
    }

    @Test
    void followsErrorEdgesAndExposesTheError() {
        steps.on("a", ctx -> {
            throw new ModelCallException("provider overloaded", true, 503);
        });
        Graphs g = graph().input("in", "text")
                .node("a", "step", "{\"onError\": \"edge\"}")
                .output("ok", "x", "{{a.text}}")
                .output("sorry", "x", "Sorry ({{a.error.type}}): {{a.error.message}}")
                .edge("in", "a").edge("a", "ok").edge("a", "sorry", "error");

        RunOutcome outcome = run(g, Map.of());

        assertThat(outcome.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outcome.outputs()).containsExactly(Map.entry("x", "Sorry (model_error): provider overloaded"));
        assertThat(listener.trace()).containsSubsequence("NodeFailed:a:1:FOLLOW_ERROR_EDGE", "NodeFinished:a:RECOVERED",
                "NodeSkipped:ok", "NodeStarted:sorry");
        assertThat(outcome.checkpoints().get("a")).isInstanceOf(NodeResult.Failed.class);
    }

    @Test
    void usesTheDefaultValueWhenANodeFails() {
        steps.on("a", ctx -> NodeResult.fail("bad", "nope", false));
        Graphs g = graph().input("in", "text")
                .node("a", "step", "{\"onError\": \"default\", \"default\": {\"text\": \"fallback\"}}")
                .output("out", "x", "{{a.text}}").edge("in", "a").edge("a", "out");

        RunOutcome outcome = run(g, Map.of());

        assertThat(outcome.outputs()).containsEntry("x", "fallback");
        assertThat(listener.of(RunEvent.NodeFinished.class)).filteredOn(f -> f.nodeId().equals("a")).singleElement()
                .satisfies(f -> {
                    assertThat(f.status()).isEqualTo(NodeStatus.RECOVERED);
                    assertThat(f.error()).isEqualTo(NodeError.permanent("bad", "nope"));
                });
    }

    @Test
    void aRunPastItsDeadlineEndsTimedOutAndStopsTheRunningNode() {
        CountDownLatch interrupted = new CountDownLatch(1);
        steps.on("a", ctx -> {
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return NodeResult.of(Map.of());
        });
        Graphs g = graph().input("in", "text").node("a", "step", "{}").output("out", "x", "{{a.text}}")
                .edge("in", "a").edge("a", "out");
        RunRequest request = RunRequest.builder("late").deadline(Instant.now().plusMillis(80)).build();

        RunOutcome outcome = engine.run(engine.compile(g.build()), request, listener);

        assertThat(outcome.status()).isEqualTo(RunStatus.TIMED_OUT);
        assertThat(outcome.error().type()).isEqualTo("timed_out");
        assertThat(interrupted.getCount()).isZero();
        assertThat(listener.trace()).containsSubsequence("NodeFailed:a:1:CANCELLED", "RunFinished:TIMED_OUT");
    }

    @Test
    void cancellingInterruptsInFlightNodesAndFiresTheirCancellation() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch callbacks = new CountDownLatch(2);
        NodeExecutor slow = ctx -> {
            ctx.cancellation().onCancel(callbacks::countDown);
            started.countDown();
            return blockUntilInterrupted();
        };
        steps.on("a", slow).on("b", slow);
        RunHandle handle = engine.start(engine.compile(fork().build()), RunRequest.of("c", Map.of()), listener);
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        handle.cancel();
        RunOutcome outcome = handle.await(Duration.ofSeconds(5));

        assertThat(outcome.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(callbacks.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(listener.trace()).contains("NodeFailed:a:1:CANCELLED", "NodeFailed:b:1:CANCELLED")
                .doesNotContain("NodeStarted:out").last().isEqualTo("RunFinished:CANCELLED");
    }

    @Test
    void aNodeIgnoringInterruptsCannotKeepTheRunOpen() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        steps.on("a", ctx -> {
            while (true) {
                try {
                    if (never.await(20, TimeUnit.SECONDS)) {
                        return NodeResult.of(Map.of());
                    }
                } catch (InterruptedException ignored) {
                    // a badly written node swallowing interrupts
                }
            }
        });
        RunHandle handle = engine.start(engine.compile(fork().build()), RunRequest.of("stuck", Map.of()), listener);
        awaitEvent("NodeStarted:a");
        handle.cancel();

        RunOutcome outcome = handle.await(Duration.ofSeconds(5));

        assertThat(outcome.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(listener.trace()).last().isEqualTo("RunFinished:CANCELLED");
        never.countDown();
    }

    @Test
    void aFailingNodeStopsItsSiblingsAndFailsTheRun() {
        CountDownLatch bStarted = new CountDownLatch(1);
        steps.on("a", ctx -> {
            bStarted.await(5, TimeUnit.SECONDS);
            return NodeResult.fail("boom", "a failed", false);
        });
        steps.on("b", ctx -> {
            bStarted.countDown();
            return blockUntilInterrupted();
        });

        RunOutcome outcome = run(fork(), Map.of());

        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error()).isEqualTo(new RunError("a", "boom", "a failed"));
        assertThat(listener.trace()).contains("NodeFailed:a:1:FAIL_RUN", "NodeFailed:b:1:CANCELLED");
    }

    @Test
    void blockEndsTheRunWithTheUserFacingMessage() {
        steps.on("a", ctx -> NodeResult.block("This request can't be processed."));

        RunOutcome outcome = run(graph().input("in", "text").node("a", "step", "{}").output("out", "x", "{{a.text}}")
                .edge("in", "a").edge("a", "out"), Map.of());

        assertThat(outcome.status()).isEqualTo(RunStatus.BLOCKED);
        assertThat(outcome.error()).isEqualTo(new RunError("a", "blocked", "This request can't be processed."));
        assertThat(outcome.outputs()).isEmpty();
        assertThat(listener.trace()).contains("NodeFinished:a:BLOCKED").doesNotContain("NodeStarted:out");
    }

    private void awaitEvent(String event) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!listener.trace().contains(event)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + event + " in " + listener.trace());
            }
            Thread.onSpinWait();
        }
    }
}
