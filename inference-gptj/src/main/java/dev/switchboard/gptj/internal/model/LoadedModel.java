package dev.switchboard.gptj.internal.model;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.internal.backend.Backends;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.safetensors.Checkpoint;
import java.nio.file.Path;

/**
 * A model directory opened for serving: config read, checkpoint mapped and checked, backend built.
 * Closing releases the backend and unmaps the files.
 */
public final class LoadedModel implements AutoCloseable {

    private final GptjConfig config;
    private final ForwardBackend backend;
    private Checkpoint checkpoint; // null once released

    private LoadedModel(GptjConfig config, Checkpoint checkpoint, ForwardBackend backend) {
        this.config = config;
        this.checkpoint = checkpoint;
        this.backend = backend;
    }

    /** @throws dev.switchboard.gptj.ModelLoadException naming what is wrong with the directory */
    public static LoadedModel open(Path modelDir, EngineOptions options) {
        LoadListener listener = options.listener();
        if (!java.nio.file.Files.isDirectory(modelDir)) {
            throw new dev.switchboard.gptj.ModelLoadException(modelDir + ": no such model directory");
        }
        GptjConfig config = ConfigFile.read(modelDir);
        listener.note(String.format(java.util.Locale.ROOT,
                "config: %d layers, n_embd %d, %d heads, rotary_dim %d, n_inner %d, vocab %d, n_positions %d%s (%.2f B parameters)",
                config.nLayer(), config.nEmbd(), config.nHead(), config.rotaryDim(), config.nInner(), config.vocabSize(),
                config.nPositions(), config.tieWordEmbeddings() ? ", lm_head tied to wte" : "", config.parameterCount() / 1e9));
        Checkpoint ckpt = Checkpoint.open(modelDir, file -> listener.note("mapping " + file.getFileName()));
        try {
            GptjWeights weights = GptjWeights.bind(config, ckpt, listener);
            ForwardBackend backend = Backends.open(weights, options);
            LoadedModel model = new LoadedModel(config, ckpt, backend);
            if (!backend.needsCheckpoint()) {
                model.checkpoint = null;
                ckpt.close();
            }
            listener.note("ready: " + backend.describe());
            return model;
        } catch (RuntimeException | Error e) {
            ckpt.close();
            throw e;
        }
    }

    public GptjConfig config() {
        return config;
    }

    public ForwardBackend backend() {
        return backend;
    }

    @Override
    public void close() {
        backend.close();
        if (checkpoint != null) {
            checkpoint.close();
            checkpoint = null;
        }
    }
}
