package dev.switchboard.engine;

import dev.switchboard.engine.internal.DefaultWorkflowEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Validates, compiles and runs workflow graphs. Thread-safe; build one per application and
 * {@link #close()} it on shutdown.
 *
 * <pre>{@code
 * WorkflowEngine engine = WorkflowEngine.builder()
 *         .modelClient(gatewayAdapter)
 *         .nodeKind(new SmsNodeKind())          // optional extra kinds
 *         .service(SmsSender.class, smsSender)  // services extra kinds look up
 *         .build();
 * CompiledGraph graph = engine.compile(definition);      // GraphValidationException lists every problem
 * RunHandle run = engine.start(graph, RunRequest.of("run-1", Map.of("text", "hi")), listener);
 * RunOutcome outcome = run.outcome().join();
 * }</pre>
 */
public interface WorkflowEngine extends AutoCloseable {

    static Builder builder() {
        return new Builder();
    }

    /** Every problem in the graph (empty when it is valid). Never throws for bad graphs. */
    List<ValidationProblem> validate(GraphDefinition graph);

    /** Validates and compiles; the result is immutable and reusable across runs. */
    CompiledGraph compile(GraphDefinition graph) throws GraphValidationException;

    /**
     * Starts a run on a virtual thread and returns at once. The listener gets every event of the
     * run (see {@link RunListener} for threading); the handle's outcome completes after
     * {@code RunFinished} was delivered.
     */
    RunHandle start(CompiledGraph graph, RunRequest request, RunListener listener);

    /** Runs to completion on the calling thread's behalf (blocking). */
    default RunOutcome run(CompiledGraph graph, RunRequest request, RunListener listener) {
        RunHandle handle = start(graph, request, listener);
        try {
            return handle.outcome().get();
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            return handle.outcome().join();
        } catch (ExecutionException e) {
            throw new IllegalStateException("run outcome never fails", e);
        }
    }

    default RunOutcome run(CompiledGraph graph, RunRequest request) {
        return run(graph, request, RunListener.NOOP);
    }

    /** Registered node types, built-in ones included. */
    Set<String> nodeTypes();

    /** Stops the engine's timer thread; runs still in flight are cancelled. */
    @Override
    void close();

    /** Configures a {@link WorkflowEngine}; not thread-safe. */
    final class Builder {
        private final Map<String, NodeKind> kinds = new LinkedHashMap<>();
        private final Map<Class<?>, Object> services = new LinkedHashMap<>();
        private ModelClient modelClient = ModelClient.unavailable();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private EngineLimits limits = EngineLimits.defaults();

        private Builder() {
        }

        /**
         * Adds a node kind (or replaces a built-in one other than {@code input}). Built-in kinds
         * {@code input}, {@code transform}, {@code condition}, {@code ai}, {@code output} are always present.
         */
        public Builder nodeKind(NodeKind kind) {
            Objects.requireNonNull(kind, "kind");
            String type = Objects.requireNonNull(kind.type(), "kind.type()");
            if (!type.matches("[A-Za-z][A-Za-z0-9._-]{0,63}")) {
                throw new IllegalArgumentException("node type must be letters, digits, '.', '_' or '-': " + type);
            }
            if (type.equals("input")) {
                throw new IllegalArgumentException("the built-in 'input' node kind cannot be replaced");
            }
            kinds.put(type, kind);
            return this;
        }

        public Builder modelClient(ModelClient modelClient) {
            this.modelClient = Objects.requireNonNull(modelClient, "modelClient");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How retry backoff waits (default: {@link Sleeper#SYSTEM}). */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public Builder limits(EngineLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Shorthand for {@code limits(limits.withDefaultNodeTimeout(timeout))}. */
        public Builder defaultNodeTimeout(Duration timeout) {
            this.limits = limits.withDefaultNodeTimeout(timeout);
            return this;
        }

        /** A service node executors can look up with {@link NodeContext#service}. */
        public <T> Builder service(Class<T> type, T service) {
            services.put(Objects.requireNonNull(type, "type"), type.cast(Objects.requireNonNull(service, "service")));
            return this;
        }

        public WorkflowEngine build() {
            return new DefaultWorkflowEngine(kinds, services, modelClient, clock, sleeper, limits);
        }
    }
}
