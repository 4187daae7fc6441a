package dev.switchboard.gptj.internal.backend;

import dev.switchboard.gptj.Device;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.internal.model.GptjWeights;

/**
 * Makes the {@link ForwardBackend} of one {@link Device}. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.switchboard.gptj.internal.backend.BackendProvider}), so a backend added
 * later (CUDA) needs no change to the engine.
 */
public interface BackendProvider {

    Device device();

    /**
     * Builds the backend from mapped weights. The checkpoint stays open while the backend lives, so a
     * backend may keep views of the mapped tensors; it may also copy them (device memory, int8).
     *
     * @throws dev.switchboard.gptj.BackendUnavailableException if the device cannot be used here
     */
    ForwardBackend open(GptjWeights weights, EngineOptions options);
}
