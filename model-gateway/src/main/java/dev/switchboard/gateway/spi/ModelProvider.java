package dev.switchboard.gateway.spi;

import java.util.concurrent.CompletableFuture;

/**
 * One provider API. Implementations are thread-safe and stateless per call; the gateway owns retries,
 * fallbacks, limits and accounting.
 *
 * <p>Errors: the future / stream fails with a {@link dev.switchboard.gateway.GatewayException} of the right
 * family (HTTP providers map statuses with one shared mapper). Messages must not contain keys.
 */
public interface ModelProvider extends AutoCloseable {

    /**
     * Starts a non-streaming call. The future completes with the response or exceptionally with a
     * {@code GatewayException}; cancelling it must cancel the work (the gateway does so on timeout).
     */
    CompletableFuture<ProviderResponse> complete(ProviderCall call);

    /**
     * Starts a streaming call and returns at once; events arrive in the returned stream, which ends with exactly
     * one {@code done} or {@code fail}. An upstream that ends without its protocol's end marker must be reported
     * with {@code fail}, never {@code done}. {@link ProviderStream#cancel()} must stop the work.
     */
    ProviderStream stream(ProviderCall call);

    /**
     * The model names this provider serves when it knows them itself (an in-process engine serving configured
     * model directories); empty when any name passes through. Used as the allow-list when the configuration names
     * none.
     */
    default java.util.List<String> models() {
        return java.util.List.of();
    }

    /** Releases connections or engines. */
    @Override
    default void close() {
    }
}
