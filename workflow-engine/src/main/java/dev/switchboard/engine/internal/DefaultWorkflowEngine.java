package dev.switchboard.engine.internal;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.EngineLimits;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.GraphValidationException;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.RunHandle;
import dev.switchboard.engine.RunListener;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.Sleeper;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * The engine: holds node kinds, the model client, limits, and one daemon timer thread for node
 * timeouts, run deadlines and cancellation watchdogs. Runs execute on virtual threads.
 */
public final class DefaultWorkflowEngine implements WorkflowEngine {

    final ModelClient modelClient;
    final Clock clock;
    final Sleeper sleeper;
    final EngineLimits limits;
    final TimeoutTicker ticker;
    final ThreadFactory virtualThreads = Thread.ofVirtual().name("switchboard-node-", 0).factory();
    private final ThreadFactory runThreads = Thread.ofVirtual().name("switchboard-run-", 0).factory();
    private final Map<String, NodeKind> kinds;
    private final Map<Class<?>, Object> services;
    private final GraphCompiler compiler;
    private final Set<RunExecution> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public DefaultWorkflowEngine(Map<String, NodeKind> extraKinds, Map<Class<?>, Object> services, ModelClient modelClient,
                                 Clock clock, Sleeper sleeper, EngineLimits limits) {
        Map<String, NodeKind> all = new LinkedHashMap<>();
        for (NodeKind k : List.of(new InputKind(), new TransformKind(), new ConditionKind(), new AiKind(), new OutputKind())) {
            all.put(k.type(), k);
        }
        all.putAll(extraKinds);
        this.kinds = Map.copyOf(all);
        this.services = Map.copyOf(services);
        this.modelClient = Objects.requireNonNull(modelClient);
        this.clock = Objects.requireNonNull(clock);
        this.sleeper = Objects.requireNonNull(sleeper);
        this.limits = Objects.requireNonNull(limits);
        this.compiler = new GraphCompiler(kinds, limits);
        this.ticker = new TimeoutTicker("switchboard-engine-timer");
    }

    @Override
    public List<ValidationProblem> validate(GraphDefinition graph) {
        Objects.requireNonNull(graph, "graph");
        return compiler.compile(graph).problems();
    }

    @Override
    public CompiledGraph compile(GraphDefinition graph) {
        Objects.requireNonNull(graph, "graph");
        GraphCompiler.Result result = compiler.compile(graph);
        if (!result.problems().isEmpty()) {
            throw new GraphValidationException(result.problems());
        }
        return result.graph();
    }

    @Override
    public RunHandle start(CompiledGraph graph, RunRequest request, RunListener listener) {
        RunExecution run = prepare(graph, request, listener);
        runThreads.newThread(run::coordinate).start();
        return run;
    }

    /** Runs on the calling thread; node branches still fork virtual threads when they can run in parallel. */
    @Override
    public RunOutcome run(CompiledGraph graph, RunRequest request, RunListener listener) {
        RunExecution run = prepare(graph, request, listener);
        run.coordinate();
        if (run.wasInterruptedFromOutside()) {
            Thread.currentThread().interrupt();
        }
        return run.outcome().join();
    }

    private RunExecution prepare(CompiledGraph graph, RunRequest request, RunListener listener) {
        Objects.requireNonNull(request, "request");
        if (!(graph instanceof CompiledGraphImpl g)) {
            throw new IllegalArgumentException("graph must come from WorkflowEngine.compile()");
        }
        if (closed) {
            throw new IllegalStateException("the workflow engine is closed");
        }
        return new RunExecution(this, g, request, listener);
    }

    void started(RunExecution run) {
        running.add(run);
    }

    void finished(RunExecution run) {
        running.remove(run);
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> service(Class<T> type) {
        Object s = services.get(type);
        if (s == null) {
            for (Object candidate : services.values()) {
                if (type.isInstance(candidate)) {
                    return Optional.of((T) candidate);
                }
            }
        }
        return Optional.ofNullable((T) s);
    }

    @Override
    public Set<String> nodeTypes() {
        return kinds.keySet();
    }

    @Override
    public void close() {
        closed = true;
        for (RunExecution run : running) {
            run.cancel();
        }
        ticker.close();
    }
}
