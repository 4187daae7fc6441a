package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a run reports to its {@link RunListener}. For one run the order is: {@link RunStarted}
 * first, {@link RunFinished} last; per node {@link NodeStarted}, then any {@link TokenDelta}s and
 * {@link NodeFailed} attempts, then at most one {@link NodeFinished}; a node's events come before
 * the events of nodes that depend on it. Skipped nodes only get {@link NodeSkipped}.
 */
public sealed interface RunEvent {

    String runId();

    /** @param resumed ids of nodes taken from checkpoints (not run again) */
    record RunStarted(String runId, Instant at, Map<String, Object> inputs, Set<String> resumed) implements RunEvent {
        public RunStarted {
            inputs = Values.copyMap(inputs);
            resumed = Set.copyOf(resumed);
        }
    }

    /**
     * A node began its first attempt.
     *
     * @param inputs what the node reads: the outputs of each upstream node it references, by node
     *               id (plus {@code trigger} when referenced); for the input node, the run inputs
     */
    record NodeStarted(String runId, String nodeId, String type, Instant at, Map<String, Object> inputs)
            implements RunEvent {
        public NodeStarted {
            inputs = Values.copyMap(inputs);
        }
    }

    /**
     * A node is done and the run goes on with its result (or ends, for BLOCKED/SUSPENDED).
     *
     * @param status   SUCCEEDED, RECOVERED (error handled by {@code onError}), BLOCKED or SUSPENDED
     * @param result   the checkpoint to store for durable resume
     * @param outputs  what later nodes see as {@code {{nodeId.*}}}
     * @param latency  from start of the first attempt to now, including retries
     * @param attempts attempts made (1 when it succeeded first time)
     * @param usage    model tokens/cost for {@code ai} nodes, else null
     * @param error    the last error when RECOVERED, else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record NodeFinished(String runId, String nodeId, String type, Instant at, NodeStatus status, NodeResult result,
                        Map<String, Object> outputs, Duration latency, int attempts, ModelUsage usage,
                        NodeError error) implements RunEvent {
        public NodeFinished {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(result, "result");
            outputs = Values.copyMap(outputs);
        }
    }

    /**
     * One attempt of a node failed.
     *
     * @param action what happens next: another attempt, the run fails, the error edges or the
     *               default value take over, or the run had already been ended (CANCELLED)
     */
    record NodeFailed(String runId, String nodeId, String type, Instant at, int attempt, NodeError error,
                      Duration latency, FailureAction action) implements RunEvent {
    }

    /** What the engine does after a failed attempt. */
    enum FailureAction {
        RETRY, FAIL_RUN, FOLLOW_ERROR_EDGE, USE_DEFAULT, CANCELLED
    }

    /** A node did not run because none of its incoming paths was taken. */
    record NodeSkipped(String runId, String nodeId, String type, Instant at, String reason) implements RunEvent {
    }

    /** A streamed piece of an {@code ai} node's answer (only with {@link RunRequest#streamTokens()}). */
    record TokenDelta(String runId, String nodeId, String text) implements RunEvent {
    }

    /** The run ended; always the last event of a run. */
    record RunFinished(RunOutcome outcome) implements RunEvent {
        @Override
        public String runId() {
            return outcome.runId();
        }
    }
}
