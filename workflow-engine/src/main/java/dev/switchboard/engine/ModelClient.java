package dev.switchboard.engine;

/**
 * How {@code ai} nodes reach models. The app adapts the model gateway to this interface.
 * Implementations must be thread-safe: parallel branches call it concurrently.
 */
@FunctionalInterface
public interface ModelClient {

    /**
     * Calls the first model of {@code call.models()} that answers (the chain is a fallback list).
     * Streams text deltas to {@code ctx.tokenSink()} when it is non-null, then returns the whole answer.
     *
     * @throws ModelCallException   when no model of the chain answered
     * @throws InterruptedException when the calling thread is interrupted (cancellation, timeout)
     */
    ModelResult call(ModelCall call, ModelCallContext ctx) throws InterruptedException;

    /** A client that fails every call: the default when none is configured. */
    static ModelClient unavailable() {
        return (call, ctx) -> {
            throw new ModelCallException("No model provider is configured for '" + call.model() + "'", false, null);
        };
    }
}
