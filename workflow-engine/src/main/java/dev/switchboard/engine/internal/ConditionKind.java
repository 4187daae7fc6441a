package dev.switchboard.engine.internal;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.Expression;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** {@code condition}: a CEL {@code expression} → {@code result}; edges carry {@code when: "true"|"false"}. */
final class ConditionKind implements NodeKind {

    private static final Set<String> LABELS = Set.of(EdgeDefinition.WHEN_TRUE, EdgeDefinition.WHEN_FALSE);

    @Override
    public String type() {
        return "condition";
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("result"));
    }

    @Override
    public Set<String> branchLabels() {
        return LABELS;
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        Optional<String> source = c.requiredText("expression");
        if (source.isEmpty()) {
            return null;
        }
        Expression expression = c.expression("expression", source.get(), true);
        return new Executor(expression);
    }

    @Override
    public NodeResult defaultResult(Object value) {
        Object v = value instanceof Map<?, ?> m ? m.get("result") : value;
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("a condition's default must be true or false");
        }
        return result(b);
    }

    static NodeResult result(boolean b) {
        return NodeResult.branch(Boolean.toString(b), Map.of("result", b));
    }

    private record Executor(Expression expression) implements NodeExecutor {
        @Override
        public NodeResult execute(NodeContext ctx) {
            return result((Boolean) ctx.evaluate(expression));
        }
    }
}
