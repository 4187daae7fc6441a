package dev.switchboard.engine;

/**
 * Runs one compiled node. Created once per {@link CompiledGraph} and called concurrently by many
 * runs, so it must be immutable/thread-safe. It is called on a virtual thread that the engine
 * interrupts on timeout or cancellation.
 */
@FunctionalInterface
public interface NodeExecutor {

    /**
     * @return the node's outputs, or a control result ({@link NodeResult#block}, {@link NodeResult#suspend},
     *         {@link NodeResult#fail})
     * @throws Exception any exception fails the attempt: {@link NodeFailedException} with its error,
     *                   {@link ModelCallException} keeps its retriable flag, {@link InterruptedException} counts as cancellation/timeout,
     *                   anything else is a retriable {@code internal_error}
     */
    NodeResult execute(NodeContext ctx) throws Exception;
}
