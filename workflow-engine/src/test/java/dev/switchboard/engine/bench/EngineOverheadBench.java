package dev.switchboard.engine.bench;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.ModelResult;
import dev.switchboard.engine.RunListener;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.TokenUsage;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Engine overhead of one 4-node run: input → transform → ai (a model client that answers
 * instantly) → output, with a listener that receives every event. Target: ≤ 50 µs per run.
 *
 * <p>Run: {@code bin/bench-engine} (or {@code mvn -pl workflow-engine -Pbench package -DskipTests}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineOverheadBench {

    static final String GRAPH = """
            {"nodes": [
              {"id": "in", "type": "input", "config": {"fields": [{"name": "text", "type": "text", "required": true, "maxLength": 2000}]}},
              {"id": "ask", "type": "transform", "config": {"template": "Text: {{in.text}}\\nSentiment (positive, negative or neutral) and why:"}},
              {"id": "ai", "type": "ai", "config": {"model": "openai/gpt-4o-mini", "prompt": "{{ask.text}}", "maxTokens": 64, "temperature": 0}},
              {"id": "out", "type": "output", "config": {"values": {"answer": "{{ai.text}}"}}}],
             "edges": [{"from": "in", "to": "ask"}, {"from": "ask", "to": "ai"}, {"from": "ai", "to": "out"}]}""";

    /** input → two AI branches in parallel → output: the cost of forking virtual threads. */
    static final String FAN_OUT = """
            {"nodes": [
              {"id": "in", "type": "input", "config": {"fields": [{"name": "text", "type": "text"}]}},
              {"id": "a", "type": "ai", "config": {"model": "openai/gpt-4o-mini", "prompt": "A: {{in.text}}"}},
              {"id": "b", "type": "ai", "config": {"model": "openai/gpt-4o-mini", "prompt": "B: {{in.text}}"}},
              {"id": "out", "type": "output", "config": {"values": {"a": "{{a.text}}", "b": "{{b.text}}"}}}],
             "edges": [{"from": "in", "to": "a"}, {"from": "in", "to": "b"}, {"from": "a", "to": "out"}, {"from": "b", "to": "out"}]}""";

    private static final ModelResult ANSWER = new ModelResult("positive: the food was delicious", "stop",
            new TokenUsage(20, 8, false), "fake", "instant", null, Duration.ZERO);

    private WorkflowEngine engine;
    private CompiledGraph graph;
    private CompiledGraph fanOut;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Object> inputs = Map.of("text", "The food was delicious… the service was excellent");
    /** Counts events so the listener's work is not optimised away. */
    private final AtomicLong events = new AtomicLong();
    private final RunListener listener = RunListener.of(e -> events.incrementAndGet());

    @Setup(Level.Trial)
    public void setUp() {
        ModelClient instant = (call, ctx) -> ANSWER;
        engine = WorkflowEngine.builder().modelClient(instant).build();
        graph = engine.compile(GraphDefinition.fromJson(GRAPH));
        fanOut = engine.compile(GraphDefinition.fromJson(FAN_OUT));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
    }

    /** Blocking run on the caller's thread (what a synchronous REST call does). */
    @Benchmark
    public RunOutcome runOnCallerThread() {
        RunOutcome o = engine.run(graph, RunRequest.of("r" + ids.incrementAndGet(), inputs), listener);
        if (o.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException(o.toString());
        }
        return o;
    }

    /** Async start on a virtual thread, then wait for the outcome. */
    @Benchmark
    public RunOutcome startAndJoin() {
        return engine.start(graph, RunRequest.of("r" + ids.incrementAndGet(), inputs), listener).outcome().join();
    }

    /** Two parallel branches (not part of the 4-node target; shows what forking costs). */
    @Benchmark
    public RunOutcome fanOutTwoBranches() {
        return engine.run(fanOut, RunRequest.of("r" + ids.incrementAndGet(), inputs), listener);
    }

    /** Runs the benchmarks of this class with the annotations' settings (args go to JMH). */
    public static void main(String[] args) throws Exception {
        String[] jmhArgs = args.length > 0 ? args : new String[] {EngineOverheadBench.class.getSimpleName()};
        org.openjdk.jmh.Main.main(jmhArgs);
    }
}
