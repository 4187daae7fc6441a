package dev.switchboard.engine.bench;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.WorkflowEngine;
import dev.switchboard.engine.policy.PolicyKinds;
import dev.switchboard.engine.policy.PolicyOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one policy node in a run (input → policy → output) on a ~700-character customer message
 * with an e-mail, a phone number and a card number in it.
 *
 * <p>Run: {@code mvn -pl workflow-engine -Pbench package -DskipTests -Djmh.args="PolicyBench"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PolicyBench {

    static final String TEXT = """
            Hi team, I ordered the blue kettle (order 4471-2290) last Tuesday and it arrived with a cracked lid. \
            I already sent photos to support but nobody answered. You can reach me at maria.lopez@example.com or \
            call (415) 555-2671 after 5pm. I paid with my card 4242 4242 4242 4242 and would like the refund to go \
            back to it rather than store credit. Also, the tracking page showed the wrong address for two days, \
            which was confusing. I have been a customer for six years and this is the first problem I've had, \
            so I'm hoping we can sort it out quickly. Thanks for your help, and sorry for the long message!""";

    @Param({"policy.pii", "policy.injection", "policy.blocklist", "policy.regex", "policy.length"})
    public String type;

    private WorkflowEngine engine;
    private CompiledGraph graph;
    private final AtomicLong ids = new AtomicLong();

    @Setup
    public void setup() {
        String config = switch (type) {
            case "policy.pii" -> "{\"text\": \"{{in.text}}\"}";
            case "policy.injection" -> "{\"text\": \"{{in.text}}\"}";
            case "policy.blocklist" -> "{\"text\": \"{{in.text}}\", \"terms\": " + terms(1000) + ", \"action\": \"flag\"}";
            case "policy.regex" -> "{\"text\": \"{{in.text}}\", \"deny\": [\"\\\\b\\\\d{4}-\\\\d{4}\\\\b\", \"(?i)refund\"], \"action\": \"flag\"}";
            default -> "{\"text\": \"{{in.text}}\", \"maxTokens\": 1000}";
        };
        engine = PolicyKinds.register(WorkflowEngine.builder().modelClient(ModelClient.unavailable()), PolicyOptions.defaults()).build();
        graph = engine.compile(GraphDefinition.fromJson("""
                {"nodes": [
                  {"id": "in", "type": "input", "config": {"fields": [{"name": "text", "type": "text"}]}},
                  {"id": "p", "type": "%s", "config": %s},
                  {"id": "out", "type": "output", "config": {"values": {"answer": "{{p.text}}"}}}],
                 "edges": [{"from": "in", "to": "p"}, {"from": "p", "to": "out"}]}""".formatted(type, config)));
    }

    private static String terms(int n) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append("\"term").append(i).append(" word").append(i % 37).append('"');
        }
        return sb.append(",\"cracked lid\"]").toString();
    }

    @TearDown
    public void close() {
        engine.close();
    }

    @Benchmark
    public RunOutcome run() {
        RunOutcome o = engine.run(graph, RunRequest.of("b" + ids.incrementAndGet(), Map.of("text", TEXT)));
        if (o.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("run ended " + o.status() + ": " + o.error());
        }
        return o;
    }
}
