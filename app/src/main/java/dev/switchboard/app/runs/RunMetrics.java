package dev.switchboard.app.runs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Run metrics, scraped at {@code /actuator/prometheus}:
 * {@code switchboard_runs_total{status,source,mode}},
 * {@code switchboard_runs_active},
 * {@code switchboard_node_duration_seconds{type,status}} (count/sum/max),
 * {@code switchboard_model_tokens_total{model,direction=input|output}},
 * {@code switchboard_queue_claim_seconds} and {@code switchboard_queue_wait_seconds} (with p50/p99),
 * {@code switchboard_queue_recovered_total{outcome}}.
 */
@Component
public class RunMetrics {

    private final Meter.MeterProvider<Counter> runs;
    private final Meter.MeterProvider<Timer> nodes;
    private final Meter.MeterProvider<Counter> tokens;
    private final AtomicInteger active = new AtomicInteger();
    private final Timer claims;
    private final Timer waits;
    private final Meter.MeterProvider<Counter> recoveries;

    RunMetrics(MeterRegistry registry) {
        this.runs = Counter.builder("switchboard.runs").description("Runs that reached a final or waiting state")
                .withRegistry(registry);
        this.nodes = Timer.builder("switchboard.node.duration").description("Node latency incl. retries, by node type")
                .withRegistry(registry);
        this.tokens = Counter.builder("switchboard.model.tokens").description("Model tokens used by ai nodes")
                .baseUnit("tokens").withRegistry(registry);
        Gauge.builder("switchboard.runs.active", active, AtomicInteger::get)
                .description("Runs executing in this process").register(registry);
        this.claims = Timer.builder("switchboard.queue.claim").description("Duration of one claim statement (a batch of queued runs)")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.waits = Timer.builder("switchboard.queue.wait").description("From an async run's acceptance to its first claim")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.recoveries = Counter.builder("switchboard.queue.recovered")
                .description("Runs taken back from a dead or stopping process, by what became of them").withRegistry(registry);
    }

    void claimed(long nanos) {
        claims.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void waited(Duration wait) {
        waits.record(wait.isNegative() ? Duration.ZERO : wait);
    }

    void recovered(String outcome, int n) {
        recoveries.withTags("outcome", outcome).increment(n);
    }

    void runStarted() {
        active.incrementAndGet();
    }

    void runEnded(String status, RunSource source, RunMode mode) {
        active.decrementAndGet();
        runs.withTags("status", status, "source", source.wireName(), "mode", mode.wireName()).increment();
    }

    void node(String type, String status, Duration latency) {
        nodes.withTags("type", type, "status", status).record(latency);
    }

    void tokens(String model, int input, int output) {
        String m = model == null ? "unknown" : model;
        if (input > 0) {
            tokens.withTags("model", m, "direction", "input").increment(input);
        }
        if (output > 0) {
            tokens.withTags("model", m, "direction", "output").increment(output);
        }
    }
}
