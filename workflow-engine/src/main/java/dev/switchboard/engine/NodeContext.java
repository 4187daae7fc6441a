package dev.switchboard.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/** What a {@link NodeExecutor} sees during one attempt. Valid only during that call. */
public interface NodeContext {

    String nodeId();

    String type();

    /** 1 for the first attempt. */
    int attempt();

    RunContext run();

    /** The node's config (read-only by contract; a private copy). */
    ObjectNode config();

    /** The run's raw inputs (only the input node should need these). */
    Map<String, Object> inputs();

    Map<String, Object> trigger();

    /** Outputs of a node that has finished (an upstream node, for a valid graph); empty if it was skipped or has not run. */
    Optional<Map<String, Object>> outputsOf(String nodeId);

    /** Renders a template against upstream outputs and the trigger. */
    String render(Template template);

    /**
     * Like {@link #render}, but a template that is a single {@code {{ref}}} yields the referenced
     * value itself (number, object, list...; null when missing) instead of its text.
     */
    Object value(Template template);

    /** Evaluates a CEL expression; returns plain Java values (Long, Double, String, Boolean, List, Map). */
    Object evaluate(Expression expression);

    ModelClient modelClient();

    /** Where to send streamed text deltas; null unless the caller asked for streaming. */
    Consumer<String> tokenSink();

    /** A ready {@link ModelCallContext} for this attempt (run, node, token sink, deadline, cancellation). */
    ModelCallContext modelCallContext();

    Clock clock();

    /** When this attempt must end (node timeout or run deadline, whichever is first), or null. */
    Instant deadline();

    /**
     * How long an outside call of this attempt may take: {@code limit}, or less when the attempt's
     * {@link #deadline()} comes first (at least 1 ms, so a call past its deadline fails fast rather
     * than waiting without a bound).
     */
    default Duration timeLeft(Duration limit) {
        Instant deadline = deadline();
        if (deadline == null) {
            return limit;
        }
        Duration left = Duration.between(clock().instant(), deadline);
        if (left.compareTo(limit) >= 0) {
            return limit;
        }
        return left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
    }

    Cancellation cancellation();

    /** A service the app registered ({@link WorkflowEngine.Builder#service}); throws IllegalStateException if none. */
    <T> T service(Class<T> type);

    <T> Optional<T> findService(Class<T> type);
}
