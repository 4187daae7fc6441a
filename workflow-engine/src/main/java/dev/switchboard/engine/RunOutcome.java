package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a run ended. Exactly one outcome is produced per run.
 *
 * @param status      one of SUCCEEDED, FAILED, BLOCKED, TIMED_OUT, CANCELLED, WAITING_REVIEW
 * @param outputs     merged {@code values} of every output node that ran (definition order; a later
 *                    node wins on a name clash)
 * @param error       why it did not succeed (null when it did; for BLOCKED the user-facing message)
 * @param suspensions nodes waiting for a human (non-empty exactly when WAITING_REVIEW)
 * @param checkpoints result of every node that finished (incl. those given in the request); pass
 *                    them, plus the reviewed node's result, in {@link RunRequest#checkpoints()} to
 *                    resume
 * @param usage       tokens of every model call of this run (excluding checkpointed nodes)
 * @param cost        summed cost, or null when no call reported one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunOutcome(String runId, RunStatus status, Map<String, Object> outputs, RunError error,
                         List<Suspension> suspensions, Map<String, NodeResult> checkpoints, TokenUsage usage,
                         BigDecimal cost, Instant startedAt, Instant finishedAt) {
    public RunOutcome {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(status, "status");
        outputs = Values.copyMap(outputs);
        suspensions = suspensions == null ? List.of() : List.copyOf(suspensions);
        checkpoints = Values.copyMap(checkpoints);
        usage = usage == null ? TokenUsage.ZERO : usage;
    }

    public boolean succeeded() {
        return status == RunStatus.SUCCEEDED;
    }
}
