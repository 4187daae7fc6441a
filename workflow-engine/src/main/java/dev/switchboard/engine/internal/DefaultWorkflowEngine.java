package dev.switchboard.engine.internal;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.EngineLimits;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.RunHandle;
import dev.switchboard.engine.RunListener;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.Sleeper;
import dev.switchboard.engine.ValidationProblem;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The engine; being implemented (this commit publishes the API only). */
public final class DefaultWorkflowEngine implements WorkflowEngine {

    public DefaultWorkflowEngine(Map<String, NodeKind> kinds, Map<Class<?>, Object> services, ModelClient modelClient,
                                 Clock clock, Sleeper sleeper, EngineLimits limits) {
    }

    @Override
    public List<ValidationProblem> validate(GraphDefinition graph) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public CompiledGraph compile(GraphDefinition graph) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public RunHandle start(CompiledGraph graph, RunRequest request, RunListener listener) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public Set<String> nodeTypes() {
        throw new UnsupportedOperationException("not implemented yet");
    }

    @Override
    public void close() {
    }
}
