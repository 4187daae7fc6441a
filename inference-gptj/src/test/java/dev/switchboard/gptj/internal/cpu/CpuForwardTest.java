package dev.switchboard.gptj.internal.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.KvCacheFormat;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batching never changes a result. A short prompt (Matmul) gives the same logits to the bit prefilled
 * in one pass, in chunks, or one token at a time, alone or batched; a long one (PromptMatmul) the same
 * in one pass, in long chunks, or batched; a generated token the same alone or beside other generated
 * tokens and prompts. For fp32 and int8 weights, and W8A8; with an fp32 and a bfloat16 KV cache. Head dim 64, so prefill takes attention's
 * four-rows-at-once path and decode the one-row path; 200 prompt tokens make five packed blocks of input
 * rows, the last of one vector.
 */
class CpuForwardTest {

    @TempDir
    static Path tmp;

    @ParameterizedTest
    @CsvSource({"AS_STORED, F32", "INT8, F32", "AS_STORED, BF16", "INT8, BF16"})
    void prefillEqualsTokenByTokenDecodeToTheBit(WeightFormat format, KvCacheFormat kv) {
        GptjConfig c = RandomCheckpoints.config(300, 64, 128, 2, 2, 16, 256, GptjConfig.Activation.GELU_NEW, 0);
        Path dir = RandomCheckpoints.write(tmp.resolve(format.name() + "-" + kv), c, DType.F32, 1, false);
        try (LoadedModel m = LoadedModel.open(dir, EngineOptions.defaults().withThreads(2).withWeights(format).withKvCache(kv))) {
            ForwardBackend b = m.backend();
            SplittableRandom rnd = new SplittableRandom(5);
            int[] prompt = rnd.ints(53, 0, 300).toArray();
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
            try (KvCache cache = b.newCache(prompt.length)) {
                float[] chunked = new float[stepwise.length];
                for (int t0 = 0; t0 < prompt.length; t0 += 20) {
                    int[] part = java.util.Arrays.copyOfRange(prompt, t0, Math.min(prompt.length, t0 + 20));
                    float[] rows = b.forward(List.of(SequenceChunk.all(cache, part)))[0];
                    System.arraycopy(rows, 0, chunked, t0 * 300, rows.length);
                }
                assertBitIdentical(chunked, stepwise, "in chunks of 20");
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

    /**
     * Prompt chunks of {@code MatmulPlan.promptFrom} tokens or more (64, 96 with int8 weights) take
     * PromptMatmul: the same logits to the bit in one pass, in chunks of that size or more, and batched before or after a short prompt and
     * generated tokens; within float rounding of the short-chunk kernels (fed token by token).
     */
    @ParameterizedTest
    @CsvSource({"AS_STORED, F32", "INT8, F32", "W8A8, F32", "INT8, BF16"})
    void longPromptsGiveTheSameLogitsHoweverChunkedOrBatched(WeightFormat format, KvCacheFormat kv) {
        try (LoadedModel m = longPromptModel("long-" + format + "-" + kv, format, kv)) {
            ForwardBackend b = m.backend();
            SplittableRandom rnd = new SplittableRandom(13);
            int[] prompt = rnd.ints(200, 0, 300).toArray();
            int[] other = rnd.ints(6, 0, 300).toArray();
            float[] onePass;
            try (KvCache cache = b.newCache(prompt.length)) {
                onePass = b.forward(List.of(SequenceChunk.all(cache, prompt)))[0];
            }
            try (KvCache cache = b.newCache(prompt.length)) {
                float[] first = b.forward(List.of(SequenceChunk.all(cache, java.util.Arrays.copyOfRange(prompt, 0, 100))))[0];
                float[] rest = b.forward(List.of(SequenceChunk.all(cache, java.util.Arrays.copyOfRange(prompt, 100, 200))))[0];
                float[] chunked = new float[onePass.length];
                System.arraycopy(first, 0, chunked, 0, first.length);
                System.arraycopy(rest, 0, chunked, first.length, rest.length);
                assertBitIdentical(chunked, onePass, "in chunks of 100 and 100");
            }
            try (KvCache cache = b.newCache(prompt.length); KvCache second = b.newCache(other.length + 1);
                 KvCache third = b.newCache(other.length)) {
                b.forward(List.of(SequenceChunk.all(second, other)));
                float[][] out = b.forward(List.of(SequenceChunk.all(cache, prompt), SequenceChunk.generated(second, 7),
                        SequenceChunk.last(third, other)));
                assertBitIdentical(out[0], onePass, "batched before a generated token and a short prompt");
            }
            float[] stepwise = new float[onePass.length];
            try (KvCache cache = b.newCache(prompt.length)) {
                for (int t = 0; t < prompt.length; t++) {
                    System.arraycopy(b.forward(List.of(SequenceChunk.last(cache, prompt[t])))[0], 0, stepwise, t * 300, 300);
                }
            }
            for (int i = 0; i < onePass.length; i++) {
                assertThat(onePass[i]).as("position %d logit %d", i / 300, i % 300)
                        .isCloseTo(stepwise[i], org.assertj.core.data.Offset.offset(1e-4f * (1 + Math.abs(stepwise[i]))));
            }
            assertThat(onePass).isNotEqualTo(stepwise); // the two kernel families really differ
        }
    }

    /**
     * The lm_head's kernels follow a chunk's logit rows: a long prompt that wants its last row's logits
     * (sampling) takes the short-chunk kernels there, one wanting every row ({@code logits}) the prompt
     * tiles — the same bits alone or batched with the other kind and generated tokens.
     */
    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"AS_STORED", "INT8", "W8A8"})
    void aLongPromptsLastLogitsAreTheSameWhateverTheBatch(WeightFormat format) {
        try (LoadedModel m = longPromptModel("last-" + format, format, KvCacheFormat.F32)) {
            ForwardBackend b = m.backend();
            SplittableRandom rnd = new SplittableRandom(17);
            int[] prompt = rnd.ints(150, 0, 300).toArray();
            int[] scored = rnd.ints(120, 0, 300).toArray();
            int[] other = rnd.ints(6, 0, 300).toArray();
            float[] last;
            float[] every;
            try (KvCache cache = b.newCache(prompt.length)) {
                last = b.forward(List.of(SequenceChunk.last(cache, prompt)))[0];
            }
            try (KvCache cache = b.newCache(scored.length)) {
                every = b.forward(List.of(SequenceChunk.all(cache, scored)))[0];
            }
            try (KvCache cache = b.newCache(prompt.length); KvCache all = b.newCache(scored.length);
                 KvCache second = b.newCache(other.length + 1)) {
                b.forward(List.of(SequenceChunk.all(second, other)));
                float[][] out = b.forward(List.of(SequenceChunk.all(all, scored), SequenceChunk.generated(second, 7),
                        SequenceChunk.last(cache, prompt)));
                assertBitIdentical(out[2], last, "last row batched after a scored prompt and a generated token");
                assertBitIdentical(out[0], every, "every row batched before a generated token and a prompt");
            }
            float[] onePassLast;
            try (KvCache cache = b.newCache(prompt.length)) {
                float[] rows = b.forward(List.of(SequenceChunk.all(cache, prompt)))[0];
                onePassLast = java.util.Arrays.copyOfRange(rows, rows.length - 300, rows.length);
            }
            for (int i = 0; i < 300; i++) {
                assertThat(last[i]).as("logit %d", i)
                        .isCloseTo(onePassLast[i], org.assertj.core.data.Offset.offset(1e-4f * (1 + Math.abs(onePassLast[i]))));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"AS_STORED, F32", "INT8, F32", "INT8, BF16"})
    void generatedTokensGiveTheSameLogitsWhateverTheBatch(WeightFormat format, KvCacheFormat kv) {
        GptjConfig c = RandomCheckpoints.config(300, 64, 128, 2, 2, 16, 256, GptjConfig.Activation.GELU_NEW, 0);
        Path dir = RandomCheckpoints.write(tmp.resolve("batch-" + format + "-" + kv), c, DType.F32, 1, false);
        try (LoadedModel m = LoadedModel.open(dir, EngineOptions.defaults().withThreads(2).withWeights(format).withKvCache(kv))) {
            SplittableRandom rnd = new SplittableRandom(11);
            int[] prompt = rnd.ints(5, 0, 300).toArray();
            int[] next = rnd.ints(4, 0, 300).toArray();
            float[][] alone = decode(m.backend(), prompt, next, 0);
            for (int others = 1; others <= 5; others++) {
                float[][] batched = decode(m.backend(), prompt, next, others);
                for (int t = 0; t < next.length; t++) {
                    assertBitIdentical(batched[t], alone[t], "token " + t + " beside " + others + " other sequences");
                }
            }
        }
    }

    /**
     * W8A8: generated tokens take the integer kernels, prompts the fp32 ones. A sequence's generated
     * tokens give the same logits to the bit alone, beside other generated tokens (1 to 5 rows: the
     * pair and the tile paths) and beside a prompt, in any order; and close to the fp32-activation ones.
     */
    @org.junit.jupiter.api.Test
    void generatedTokensGiveTheSameLogitsWhateverTheBatchWithInt8Activations() {
        GptjConfig c = RandomCheckpoints.config(300, 64, 128, 2, 2, 16, 256, GptjConfig.Activation.GELU_NEW, 0);
        Path dir = RandomCheckpoints.write(tmp.resolve("w8a8"), c, DType.F32, 1, false);
        EngineOptions o = EngineOptions.defaults().withThreads(2);
        try (LoadedModel m = LoadedModel.open(dir, o.withWeights(WeightFormat.W8A8));
             LoadedModel plain = LoadedModel.open(dir, o.withWeights(WeightFormat.INT8))) {
            ForwardBackend b = m.backend();
            SplittableRandom rnd = new SplittableRandom(9);
            int[] prompt = rnd.ints(5, 0, 300).toArray();
            int[] next = rnd.ints(4, 0, 300).toArray();
            float[][] alone = decode(b, prompt, next, 0);
            float[][] fp32Activations = decode(plain.backend(), prompt, next, 0);
            for (int others = 1; others <= 4; others++) {
                float[][] batched = decode(b, prompt, next, others);
                for (int t = 0; t < next.length; t++) {
                    assertBitIdentical(batched[t], alone[t], "token " + t + " beside " + others + " other sequences");
                }
            }
            if (dev.switchboard.gptj.internal.kernel.Simd.L == 16) { // the integer kernels ran (AVX-512)
                assertThat(alone[0]).isNotEqualTo(fp32Activations[0]);
            }
            for (int t = 0; t < next.length; t++) {
                for (int j = 0; j < 300; j++) {
                    assertThat(alone[t][j]).as("token %d logit %d", t, j).isCloseTo(fp32Activations[t][j],
                            org.assertj.core.data.Offset.offset(0.05f * (1 + Math.abs(fp32Activations[t][j]))));
                }
            }
        }
    }

    /**
     * Prefills {@code prompt}, then feeds {@code next} one generated token at a time, each step beside
     * {@code others} other sequences' generated tokens and, on odd steps, a prompt chunk ahead of it.
     */
    private static float[][] decode(ForwardBackend b, int[] prompt, int[] next, int others) {
        float[][] out = new float[next.length][];
        List<KvCache> caches = new java.util.ArrayList<>();
        try (KvCache cache = b.newCache(prompt.length + next.length)) {
            b.forward(List.of(SequenceChunk.all(cache, prompt)));
            for (int k = 0; k < others; k++) {
                KvCache other = b.newCache(32);
                caches.add(other);
                b.forward(List.of(SequenceChunk.last(other, 1 + k, 2 + k)));
            }
            for (int t = 0; t < next.length; t++) {
                List<SequenceChunk> step = new java.util.ArrayList<>();
                KvCache prompted = null;
                if (others > 0 && t % 2 == 1) {
                    prompted = b.newCache(8);
                    step.add(SequenceChunk.last(prompted, 7, 8, 9));
                }
                for (int k = 0; k < others; k++) {
                    step.add(SequenceChunk.generated(caches.get(k), 10 + k + t));
                }
                step.add(others % 2 == 0 ? 0 : step.size(), SequenceChunk.generated(cache, next[t]));
                float[][] logits = b.forward(step);
                out[t] = logits[others % 2 == 0 ? 0 : step.size() - 1];
                if (prompted != null) {
                    prompted.close();
                }
            }
        } finally {
            caches.forEach(KvCache::close);
        }
        return out;
    }

    /** A random 256-wide, 2-layer model (rows long enough for several prompt blocks), in directory {@code name}. */
    private static LoadedModel longPromptModel(String name, WeightFormat format, KvCacheFormat kv) {
        GptjConfig c = RandomCheckpoints.config(300, 256, 128, 2, 2, 16, 256, GptjConfig.Activation.GELU_NEW, 0);
        Path dir = RandomCheckpoints.write(tmp.resolve(name), c, DType.F32, 1, false);
        return LoadedModel.open(dir, EngineOptions.defaults().withThreads(2).withWeights(format).withKvCache(kv));
    }

    private static void assertBitIdentical(float[] got, float[] expected, String what) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.length; i++) {
            assertThat(Float.floatToRawIntBits(got[i])).as("%s: position %d logit %d", what, i / 300, i % 300)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}
