package dev.switchboard.engine.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What templates and expressions of one run can see: each finished node's outputs by id, and
 * {@code trigger}. Written by the run's coordinator before dependent nodes start (so readers see
 * every value they may reference); read concurrently by node threads.
 */
final class RunScope {

    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final Map<String, Object> celViews = new ConcurrentHashMap<>();
    private final CompiledNode[] nodes;

    RunScope(CompiledNode[] nodes, Map<String, Object> trigger) {
        this.nodes = nodes;
        values.put(CelSupport.TRIGGER, trigger);
    }

    /** The root object templates render against. */
    Map<String, Object> values() {
        return values;
    }

    Object get(String nodeId) {
        return values.get(nodeId);
    }

    void put(String nodeId, Map<String, Object> outputs) {
        values.put(nodeId, outputs);
    }

    /** CEL variable lookup: node ids, {@code trigger}, {@code nodes}. Skipped or unknown nodes are empty maps. */
    Optional<Object> celVariable(String name) {
        if (CelSupport.NODES.equals(name)) {
            Map<String, Object> all = new LinkedHashMap<>();
            for (CompiledNode n : nodes) {
                Object v = values.get(n.id);
                if (v != null) {
                    all.put(n.id, celView(n.id, v));
                }
            }
            return Optional.of(all);
        }
        Object v = values.get(name);
        return Optional.of(v == null ? Map.of() : celView(name, v));
    }

    /** Outputs never change once published, so their CEL form is converted once per run. */
    private Object celView(String key, Object plain) {
        return celViews.computeIfAbsent(key, k -> CompiledExpression.toCel(plain));
    }
}
