package dev.switchboard.engine.internal;

import dev.switchboard.engine.Cancellation;
import dev.switchboard.engine.Expression;
import dev.switchboard.engine.ModelCallContext;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.NodeFailedException;
import dev.switchboard.engine.RunContext;
import dev.switchboard.engine.RunEvent;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.Template;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/** The context of one attempt. Cheap to create; not shared between attempts. */
final class NodeContextImpl implements NodeContext {

    private static final int MAX_EXPRESSION_STEPS = 100_000;

    private final RunExecution run;
    private final CompiledNode node;
    private final int attempt;
    private final AttemptGuard guard;
    private final Instant deadline;
    private Consumer<String> tokenSink;

    NodeContextImpl(RunExecution run, CompiledNode node, int attempt, AttemptGuard guard, Instant deadline) {
        this.run = run;
        this.node = node;
        this.attempt = attempt;
        this.guard = guard;
        this.deadline = deadline;
    }

    @Override
    public String nodeId() {
        return node.id;
    }

    @Override
    public String type() {
        return node.type;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public RunContext run() {
        return run.request.context();
    }

    @Override
    public ObjectNode config() {
        return node.config;
    }

    @Override
    public Map<String, Object> inputs() {
        return run.request.inputs();
    }

    @Override
    public Map<String, Object> trigger() {
        return run.request.trigger();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> outputsOf(String nodeId) {
        Object v = CelSupport.TRIGGER.equals(nodeId) ? null : run.scope.get(nodeId);
        return Optional.ofNullable((Map<String, Object>) v);
    }

    @Override
    public String render(Template template) {
        try {
            return compiled(template).render(run.scope.values(), run.engine.limits.maxRenderedLength());
        } catch (BoundedWriter.LimitExceeded e) {
            throw new NodeFailedException(NodeError.permanent("template_error", e.getMessage()));
        }
    }

    @Override
    public Object value(Template template) {
        try {
            return compiled(template).value(run.scope.values(), run.engine.limits.maxRenderedLength());
        } catch (BoundedWriter.LimitExceeded e) {
            throw new NodeFailedException(NodeError.permanent("template_error", e.getMessage()));
        }
    }

    private static CompiledTemplate compiled(Template template) {
        if (template instanceof CompiledTemplate t) {
            return t;
        }
        throw new IllegalArgumentException("templates must come from NodeCompiler.template()");
    }

    @Override
    public Object evaluate(Expression expression) {
        if (!(expression instanceof CompiledExpression e)) {
            throw new IllegalArgumentException("expressions must come from NodeCompiler.expression()");
        }
        try {
            return e.evaluate(run.scope::celVariable, MAX_EXPRESSION_STEPS, run.engine.limits.maxRenderedLength());
        } catch (CompiledExpression.EvaluationFailed f) {
            throw new NodeFailedException(NodeError.permanent("expression_error", f.getMessage()));
        }
    }

    @Override
    public ModelClient modelClient() {
        return run.engine.modelClient;
    }

    @Override
    public Consumer<String> tokenSink() {
        if (tokenSink == null && run.request.streamTokens()) {
            String runId = run.runId;
            String nodeId = node.id;
            tokenSink = text -> {
                if (text != null && !text.isEmpty() && !guard.isCancelled()) {
                    run.events.emit(new RunEvent.TokenDelta(runId, nodeId, text));
                }
            };
        }
        return tokenSink;
    }

    @Override
    public ModelCallContext modelCallContext() {
        return new ModelCallContext(run.request.context(), node.id, tokenSink(), deadline, guard);
    }

    @Override
    public Clock clock() {
        return run.engine.clock;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public Cancellation cancellation() {
        return guard;
    }

    @Override
    public <T> T service(Class<T> type) {
        return findService(type).orElseThrow(() -> new IllegalStateException(
                "No " + type.getSimpleName() + " is registered with the workflow engine"));
    }

    @Override
    public <T> Optional<T> findService(Class<T> type) {
        return run.engine.service(type);
    }
}
