package dev.switchboard.engine;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one run needs besides the graph.
 *
 * @param context      run id, workspace, app, source
 * @param inputs       values for the input node's fields (checked and defaulted by the engine;
 *                     see {@link CompiledGraph#prepareInputs})
 * @param trigger      trigger data exposed as {@code {{trigger.X}}} (e.g. Twilio webhook parameters)
 * @param deadline     the run ends {@link RunStatus#TIMED_OUT} at this instant; null = no deadline
 * @param checkpoints  results of nodes that already finished in an earlier attempt of this run
 *                     (durable resume, review resume): those nodes are not run again and get no
 *                     events
 * @param streamTokens true to receive {@link RunEvent.TokenDelta} events from {@code ai} nodes
 */
public record RunRequest(RunContext context, Map<String, Object> inputs, Map<String, Object> trigger,
                         Instant deadline, Map<String, NodeResult> checkpoints, boolean streamTokens) {

    public RunRequest {
        Objects.requireNonNull(context, "context");
        inputs = Values.copyMap(inputs);
        trigger = Values.copyMap(trigger);
        checkpoints = Values.copyMap(checkpoints);
    }

    public String runId() {
        return context.runId();
    }

    public static RunRequest of(String runId, Map<String, ?> inputs) {
        return builder(runId).inputs(inputs).build();
    }

    public static Builder builder(String runId) {
        return new Builder(RunContext.of(runId));
    }

    public static Builder builder(RunContext context) {
        return new Builder(context);
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private final RunContext context;
        private Map<String, Object> inputs = Map.of();
        private Map<String, Object> trigger = Map.of();
        private Instant deadline;
        private Map<String, NodeResult> checkpoints = Map.of();
        private boolean streamTokens;

        private Builder(RunContext context) {
            this.context = Objects.requireNonNull(context, "context");
        }

        public Builder inputs(Map<String, ?> inputs) {
            this.inputs = Values.copyMap(inputs);
            return this;
        }

        public Builder trigger(Map<String, ?> trigger) {
            this.trigger = Values.copyMap(trigger);
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder checkpoints(Map<String, NodeResult> checkpoints) {
            this.checkpoints = Values.copyMap(checkpoints);
            return this;
        }

        public Builder streamTokens(boolean streamTokens) {
            this.streamTokens = streamTokens;
            return this;
        }

        public RunRequest build() {
            return new RunRequest(context, inputs, trigger, deadline, checkpoints, streamTokens);
        }
    }
}
