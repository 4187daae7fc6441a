package dev.switchboard.engine;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link NodeKind} uses to check its config and compile it. Every problem is reported here
 * (never thrown), so the user sees all of them at once. Field names passed in are config keys
 * ({@code "prompt"}, {@code "messages[1].content"}); problems are reported as {@code config.<key>}.
 *
 * <p>The readers report {@link ValidationProblem#MISSING_CONFIG} / {@link ValidationProblem#INVALID_CONFIG}
 * themselves and return empty/null on a problem, so a kind can read all keys and then return.
 */
public interface NodeCompiler {

    String nodeId();

    String type();

    /** A private deep copy of the node's config. */
    ObjectNode config();

    /** Reports a problem on {@code config.<key>} (or the node itself when key is null). */
    void problem(String key, String code, String message);

    /** True once any problem was reported for this node (by the kind or by the engine). */
    boolean hasProblems();

    /** A required non-blank string. */
    Optional<String> requiredText(String key);

    /** An optional string (empty when absent or null; problem when not a string). */
    Optional<String> optionalText(String key);

    /** An optional integer within [min, max]. */
    Optional<Integer> optionalInt(String key, int min, int max);

    /** An optional number within [min, max]. */
    Optional<Double> optionalNumber(String key, double min, double max);

    Optional<Boolean> optionalBoolean(String key);

    /** An optional list of strings; a single string is accepted as a one-element list. */
    Optional<List<String>> optionalTextList(String key);

    /** The raw value, or empty when absent/null. */
    Optional<JsonNode> value(String key);

    /**
     * Compiles a template found at {@code key}, checking its syntax (variables only), size, and
     * that every {@code {{node.field}}} names an upstream node (and a field it exposes, where known).
     * Returns a template even when problems were reported (it renders nothing useful then).
     */
    Template template(String key, String source);

    /**
     * Like {@link #template}, for text that must be JSON (a request body, {@code format: json}):
     * a value inserted with {@code {{x}}} is escaped for use inside a JSON string literal;
     * {@code {{{x}}}} inserts it raw (objects and lists as JSON).
     */
    Template jsonTemplate(String key, String source);

    /**
     * Compiles a CEL expression found at {@code key}; checks syntax, types, size, and that every
     * variable is an upstream node or {@code trigger}. {@code mustBeBoolean} requires a bool result.
     */
    Expression expression(String key, String source, boolean mustBeBoolean);

    /** Ids of all nodes upstream of this one (transitive predecessors). */
    Set<String> upstream();

    /** Edges leaving this node, in definition order. */
    List<EdgeDefinition> outgoingEdges();
}
