package dev.switchboard.gptj.internal.backend;

import dev.switchboard.gptj.BackendUnavailableException;
import dev.switchboard.gptj.Device;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.internal.model.GptjWeights;
import java.util.ServiceLoader;

/** Picks the provider of the requested device. */
public final class Backends {

    private Backends() {
    }

    public static ForwardBackend open(GptjWeights weights, EngineOptions options) {
        Device device = options.device();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            if (p.device() == device) {
                return p.open(weights, options);
            }
        }
        throw new BackendUnavailableException(switch (device) {
            case CUDA -> "CUDA backend not available: this build of inference-gptj has no GPU backend yet; use --device cpu";
            case CPU -> "CPU backend missing from the class path (META-INF/services of inference-gptj)";
        });
    }
}
