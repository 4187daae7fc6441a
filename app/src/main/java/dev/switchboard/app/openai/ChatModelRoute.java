package dev.switchboard.app.openai;

import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Answers OpenAI-compatible requests for model names that are not gateway models, e.g.
 * {@code app/<appId>} (a published Switchboard app served as a model). A Spring bean implementing
 * it is consulted by {@code /v1/chat/completions}, {@code /v1/completions} and {@code /v1/models}
 * before the gateway; the first route whose {@link #handles} is true answers, and the endpoint
 * turns its {@link ModelResponse} into OpenAI's wire format exactly as for a gateway model
 * (streaming, usage chunk, headers).
 *
 * <p>Failures are {@link dev.switchboard.gateway.GatewayException}s, so they reach clients as
 * OpenAI errors (e.g. {@code ModelNotFound} → 404 {@code model_not_found}).
 */
public interface ChatModelRoute {

    /** Whether this route answers for the request's model name. */
    boolean handles(String model);

    /**
     * Answers one request of the caller's workspace.
     *
     * @param deltas non-null for a streamed answer: receives each piece of text as it is produced
     *     (before this returns); the returned response carries the whole text
     * @param apiKeyId the calling key
     */
    ModelResponse answer(ModelRequest request, UUID workspaceId, UUID apiKeyId, Consumer<String> deltas);

    /** Model names this route serves to the workspace, for {@code GET /v1/models}. */
    default List<String> models(UUID workspaceId) {
        return List.of();
    }
}
