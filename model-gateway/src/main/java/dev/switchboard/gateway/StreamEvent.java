package dev.switchboard.gateway;

/**
 * Items of {@link ModelGateway#streamPublisher}: zero or more {@link Delta}s, then exactly one
 * {@link Completed} followed by {@code onComplete}. A failure is signalled with {@code onError}
 * carrying a {@link GatewayException} instead — a stream never completes normally without
 * {@link Completed}.
 */
public sealed interface StreamEvent {

    /** A piece of generated text. */
    record Delta(String text) implements StreamEvent {
    }

    /** The final response (usage, finish reason, cost). */
    record Completed(ModelResponse response) implements StreamEvent {
    }
}
