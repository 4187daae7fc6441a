package dev.switchboard.gptj.internal.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.RandomCheckpoints;
import dev.switchboard.gptj.WeightFormat;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.LoadedModel;
import dev.switchboard.gptj.internal.safetensors.DType;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A prompt prefilled in one pass gives, at every position, the logits that feeding it one token at a
 * time gives — to the bit, for fp32 and int8 weights, alone or batched with another sequence. Head dim
 * 64, so prefill takes attention's four-rows-at-once path and decode the one-row path.
 */
class CpuForwardTest {

    @TempDir
    static Path tmp;

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"AS_STORED", "INT8"})
    void prefillEqualsTokenByTokenDecodeToTheBit(WeightFormat format) {
        GptjConfig c = RandomCheckpoints.config(300, 64, 128, 2, 2, 16, 256, GptjConfig.Activation.GELU_NEW, 0);
        Path dir = RandomCheckpoints.write(tmp.resolve(format.name()), c, DType.F32, 1, false);
        try (LoadedModel m = LoadedModel.open(dir, EngineOptions.defaults().withThreads(2).withWeights(format))) {
            ForwardBackend b = m.backend();
            SplittableRandom rnd = new SplittableRandom(5);
            int[] prompt = rnd.ints(13, 0, 300).toArray();
            int[] other = rnd.ints(6, 0, 300).toArray();
            float[] stepwise = new float[prompt.length * 300];
            try (KvCache cache = b.newCache(prompt.length)) {
                for (int t = 0; t < prompt.length; t++) {
                    float[] row = b.forward(List.of(SequenceChunk.last(cache, prompt[t])))[0];
                    System.arraycopy(row, 0, stepwise, t * 300, 300);
                }
            }
            try (KvCache cache = b.newCache(prompt.length)) {
                assertBitIdentical(b.forward(List.of(SequenceChunk.all(cache, prompt)))[0], stepwise, "alone");
            }
            try (KvCache cache = b.newCache(prompt.length); KvCache second = b.newCache(other.length)) {
                float[][] out = b.forward(List.of(SequenceChunk.last(second, other), SequenceChunk.all(cache, prompt)));
                assertBitIdentical(out[1], stepwise, "batched after another prompt");
            }
            // the prompt first, a shorter one behind it: an attention block ends on rows at low positions
            try (KvCache cache = b.newCache(prompt.length); KvCache second = b.newCache(other.length)) {
                float[][] out = b.forward(List.of(SequenceChunk.all(cache, prompt), SequenceChunk.last(second, other)));
                assertBitIdentical(out[0], stepwise, "batched before a shorter prompt");
            }
        }
    }

    private static void assertBitIdentical(float[] got, float[] expected, String what) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("%s: position %d logit %d", what, i / 300, i % 300)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}
