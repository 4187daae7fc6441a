package dev.switchboard.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link NodeExecutor} returns. Also the unit of a checkpoint: the app stores the
 * {@link RunEvent.NodeFinished#result()} of each node and hands them back in
 * {@link RunRequest#checkpoints()} to resume a run without re-running those nodes. Serialises
 * with Jackson ({@code "kind"} discriminator) when outputs hold plain JSON values.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = NodeResult.Completed.class, name = "completed"),
        @JsonSubTypes.Type(value = NodeResult.Blocked.class, name = "blocked"),
        @JsonSubTypes.Type(value = NodeResult.Suspended.class, name = "suspended"),
        @JsonSubTypes.Type(value = NodeResult.Failed.class, name = "failed")})
public sealed interface NodeResult {

    /** Outputs later nodes can reference as {@code {{nodeId.field}}}. */
    Map<String, Object> outputs();

    /**
     * The JSON discriminator: {@code completed}, {@code blocked}, {@code suspended} or {@code failed}.
     * Written as a normal property so it is present however the value is serialised (also inside
     * an untyped map).
     */
    @JsonProperty("kind")
    String kind();

    /** Finished normally; a node may pick a branch (edges whose {@code when} equals it are taken). */
    static NodeResult of(Map<String, ?> outputs) {
        return new Completed(copy(outputs), null, null);
    }

    static NodeResult of(Map<String, ?> outputs, ModelUsage usage) {
        return new Completed(copy(outputs), null, usage);
    }

    /** Finished and chose a branch: edges labelled {@code when: branch} are followed, other labelled edges are not. */
    static NodeResult branch(String branch, Map<String, ?> outputs) {
        return new Completed(copy(outputs), Objects.requireNonNull(branch, "branch"), null);
    }

    /** End the run as {@link RunStatus#BLOCKED}; {@code message} is shown to the end user. */
    static NodeResult block(String message) {
        return new Blocked(message, Map.of());
    }

    static NodeResult block(String message, Map<String, ?> details) {
        return new Blocked(message, copy(details));
    }

    /**
     * Pause for a human: the run ends as {@link RunStatus#WAITING_REVIEW} once every branch that
     * does not depend on this node has finished; {@code payload} is what the reviewer needs.
     */
    static NodeResult suspend(String reason, Map<String, ?> payload) {
        return new Suspended(reason, copy(payload));
    }

    /** Fail this attempt; retries and the node's {@code onError} policy apply. */
    static NodeResult fail(NodeError error) {
        return new Failed(error);
    }

    static NodeResult fail(String type, String message, boolean retriable) {
        return new Failed(new NodeError(type, message, retriable));
    }

    private static Map<String, Object> copy(Map<String, ?> m) {
        return Values.copyMap(m);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Completed(Map<String, Object> outputs, String branch, ModelUsage usage) implements NodeResult {
        @Override
        public String kind() {
            return "completed";
        }

        public Completed {
            outputs = Values.copyMap(outputs);
        }
    }

    record Blocked(String message, Map<String, Object> details) implements NodeResult {
        @Override
        public String kind() {
            return "blocked";
        }

        public Blocked {
            Objects.requireNonNull(message, "message");
            details = Values.copyMap(details);
        }

        @Override
        public Map<String, Object> outputs() {
            return Map.of("message", message);
        }
    }

    record Suspended(String reason, Map<String, Object> payload) implements NodeResult {
        @Override
        public String kind() {
            return "suspended";
        }

        public Suspended {
            Objects.requireNonNull(reason, "reason");
            payload = Values.copyMap(payload);
        }

        @Override
        public Map<String, Object> outputs() {
            return payload;
        }
    }

    /**
     * A failure. As a checkpoint it stands for a node whose {@code onError: edge} policy was
     * applied: resuming follows its {@code error} edges again.
     */
    record Failed(NodeError error) implements NodeResult {
        @Override
        public String kind() {
            return "failed";
        }

        public Failed {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public Map<String, Object> outputs() {
            return Map.of("error", error.toMap());
        }
    }
}
