package dev.switchboard.gateway.spi;

import dev.switchboard.gateway.ModelRequest;

/**
 * One attempt of a call, as the gateway hands it to a provider.
 *
 * @param request     the validated request (its {@code models} chain is the gateway's business; use {@code model})
 * @param model       the provider's model name (the part after {@code provider/})
 * @param endpoint    the deployment to call
 * @param workspaceId the calling workspace
 */
public record ProviderCall(ModelRequest request, String model, Endpoint endpoint, String workspaceId) {
}
