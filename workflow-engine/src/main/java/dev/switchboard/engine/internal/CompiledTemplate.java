package dev.switchboard.engine.internal;

import dev.switchboard.engine.Template;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A checked template, immutable and shared by all runs of a compiled graph. */
final class CompiledTemplate implements Template {

    private final String source;
    private final com.samskivert.mustache.Template compiled;
    private final Set<String> referencedNodes;
    private final boolean referencesTrigger;
    private final String[] singleReference;
    private final boolean constant;

    CompiledTemplate(String source, com.samskivert.mustache.Template compiled, Set<String> referencedNodes,
                     boolean referencesTrigger, String[] singleReference) {
        this.source = source;
        this.compiled = compiled;
        this.referencedNodes = Set.copyOf(referencedNodes);
        this.referencesTrigger = referencesTrigger;
        this.singleReference = singleReference;
        this.constant = referencedNodes.isEmpty() && !referencesTrigger && !source.contains("{{");
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Set<String> referencedNodes() {
        return referencedNodes;
    }

    boolean referencesTrigger() {
        return referencesTrigger;
    }

    @Override
    public boolean isSingleReference() {
        return singleReference != null;
    }

    /**
     * Renders against {@code scope} (node id → outputs map, {@code trigger} → trigger map).
     *
     * @throws BoundedWriter.LimitExceeded when the output would exceed {@code limit} characters
     */
    String render(Map<String, Object> scope, int limit) {
        if (constant) {
            if (source.length() > limit) {
                throw new BoundedWriter.LimitExceeded(limit);
            }
            return source;
        }
        if (compiled == null) {
            return "";
        }
        BoundedWriter out = new BoundedWriter(limit, source.length() + 64);
        compiled.execute(scope, out);
        return out.toString();
    }

    /** The referenced value itself for single-reference templates, else the rendered text. */
    Object value(Map<String, Object> scope, int limit) {
        if (singleReference == null) {
            return render(scope, limit);
        }
        return resolve(scope, singleReference);
    }

    static Object resolve(Object root, String[] path) {
        Object current = root;
        for (String key : path) {
            if (current instanceof Map<?, ?> m) {
                current = m.get(key);
            } else if (current instanceof List<?> l && isIndex(key) && Integer.parseInt(key) < l.size()) {
                current = l.get(Integer.parseInt(key));
            } else {
                return null;
            }
        }
        return current;
    }

    private static boolean isIndex(String key) {
        if (key.isEmpty() || key.length() > 9) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (!Character.isDigit(key.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return source;
    }
}
