package dev.switchboard.gptj.internal.cuda;

import dev.switchboard.gptj.Device;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.internal.backend.BackendProvider;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.model.GptjWeights;

/** Registers {@link CudaBackend} for {@link Device#CUDA}. */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public Device device() {
        return Device.CUDA;
    }

    @Override
    public ForwardBackend open(GptjWeights weights, EngineOptions options) {
        return new CudaBackend(weights, options);
    }
}
