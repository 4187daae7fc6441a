package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.Device;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.internal.backend.BackendProvider;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.model.GptjWeights;

/** Registers {@link CpuBackend} for {@link Device#CPU}. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public ForwardBackend open(GptjWeights weights, EngineOptions options) {
        return new CpuBackend(weights, options);
    }
}
