package dev.switchboard.gptj;

import dev.switchboard.gptj.internal.model.RandomCheckpoint;
import dev.switchboard.gptj.internal.safetensors.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Random-weight checkpoints written by the engine's own random-init, for shapes the HF fixtures lack. */
public final class RandomCheckpoints {

    private RandomCheckpoints() {
    }

    public static GptjConfig config(int vocab, int positions, int d, int layers, int heads, int rotary, int inner,
            GptjConfig.Activation act, int eos) {
        return new GptjConfig(vocab, positions, d, layers, heads, rotary, inner, 1e-5f, act, eos, false);
    }

    /** {@code c} with {@code tie_word_embeddings: true}. */
    public static GptjConfig tied(GptjConfig c) {
        return new GptjConfig(c.vocabSize(), c.nPositions(), c.nEmbd(), c.nLayer(), c.nHead(), c.rotaryDim(), c.nInner(),
                c.layerNormEpsilon(), c.activation(), c.eosTokenId(), true);
    }

    public static Path write(Path dir, GptjConfig c, DType dtype, int shards, boolean legacy) {
        try {
            RandomCheckpoint.write(c, dir, new RandomCheckpoint.Options(dtype, shards, 42, legacy), LoadListener.NONE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
