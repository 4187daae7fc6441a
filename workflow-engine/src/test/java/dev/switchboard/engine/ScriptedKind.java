package dev.switchboard.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test-only node kind ("step") whose behaviour per node id is given by the test: the node SPI
 * used the way later kinds (policy, review, sms) will use it.
 */
final class ScriptedKind implements NodeKind {

    final Map<String, NodeExecutor> behaviour = new ConcurrentHashMap<>();

    ScriptedKind on(String nodeId, NodeExecutor executor) {
        behaviour.put(nodeId, executor);
        return this;
    }

    @Override
    public String type() {
        return "step";
    }

    @Override
    public NodeExecutor compile(NodeCompiler compiler) {
        String id = compiler.nodeId();
        Template label = compiler.optionalText("text").map(t -> compiler.template("text", t)).orElse(null);
        return ctx -> {
            NodeExecutor e = behaviour.get(id);
            if (e != null) {
                return e.execute(ctx);
            }
            return NodeResult.of(Map.of("text", label == null ? id : ctx.render(label)));
        };
    }
}
