package dev.switchboard.gptj.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.Fixtures;
import dev.switchboard.gptj.GenerationRequest;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.GptjConfig.Activation;
import dev.switchboard.gptj.GptjEngine;
import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.RandomCheckpoints;
import dev.switchboard.gptj.WeightFormat;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.safetensors.Checkpoint;
import dev.switchboard.gptj.internal.safetensors.DType;
import dev.switchboard.gptj.internal.safetensors.SafetensorsWriter;
import dev.switchboard.gptj.internal.safetensors.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints of shapes, dtypes and shardings the fixtures do not have, written by random-init, run
 * through the engine and compared with the plain double-precision reference.
 */
class RandomShapesTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> shapes() {
        return Stream.of(
                // odd sizes everywhere: head 8 with rotary on half of it, vector tails in every kernel
                Arguments.of("odd-f32", RandomCheckpoints.config(1001, 64, 40, 2, 5, 4, 100, Activation.GELU_NEW, 7), DType.F32, 1, false),
                Arguments.of("odd-f16-3-shards", RandomCheckpoints.config(1001, 64, 40, 2, 5, 4, 100, Activation.GELU_NEW, 7), DType.F16, 3, false),
                Arguments.of("odd-bf16-legacy-buffers", RandomCheckpoints.config(1001, 64, 40, 2, 5, 4, 100, Activation.GELU_NEW, 7), DType.BF16, 2, true),
                // rotary over the whole head, exact gelu, wide vectors with int8 blocks of 64 and a tail
                Arguments.of("full-rotary-gelu", RandomCheckpoints.config(77, 48, 96, 3, 3, 32, 200, Activation.GELU, -1), DType.F32, 1, false),
                // many heads, relu, rows multiple of the vector length
                Arguments.of("relu-8-heads", RandomCheckpoints.config(300, 40, 128, 2, 8, 2, 512, Activation.RELU, 0), DType.F16, 4, false));
    }

    /** Shapes with room for prompts long enough for the prompt kernels (PromptMatmul: 64+ tokens). */
    static Stream<Arguments> longPromptShapes() {
        return Stream.of(
                Arguments.of("odd-f32", RandomCheckpoints.config(1001, 128, 40, 2, 5, 4, 100, Activation.GELU_NEW, 7), DType.F32, 1, false),
                Arguments.of("odd-bf16-legacy-buffers", RandomCheckpoints.config(1001, 128, 40, 2, 5, 4, 100, Activation.GELU_NEW, 7), DType.BF16, 2, true),
                Arguments.of("relu-8-heads", RandomCheckpoints.config(300, 128, 128, 2, 8, 2, 512, Activation.RELU, 0), DType.F16, 4, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longPromptShapes")
    void longPromptsMatchThePlainReferenceAtEveryPosition(String name, GptjConfig c, DType dtype, int shards, boolean legacy) {
        Path dir = RandomCheckpoints.write(tmp.resolve(name), c, dtype, shards, legacy);
        assertEveryPositionMatchesThePlainReference(dir, c, randomIds(c, 100, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void logitsOfEveryPositionMatchThePlainReference(String name, GptjConfig c, DType dtype, int shards, boolean legacy) {
        Path dir = RandomCheckpoints.write(tmp.resolve(name), c, dtype, shards, legacy);
        if (shards > 1) {
            assertThat(dir.resolve(Checkpoint.INDEX_FILE)).exists();
            assertThat(dir.resolve(Checkpoint.SINGLE_FILE)).doesNotExist();
        }
        assertEveryPositionMatchesThePlainReference(dir, c, randomIds(c, 13, 1));
    }

    /** The engine's logits at every position of {@code ids}, one pass, within 1e-4 of {@link NaiveGptj}'s. */
    private static void assertEveryPositionMatchesThePlainReference(Path dir, GptjConfig c, int[] ids) {
        assertWithinThePlainReference(allLogits(dir, WeightFormat.AS_STORED, ids, LoadListener.NONE), NaiveGptj.logits(dir, ids),
                c.vocabSize());
    }

    /** {@code got} (every position's logits, one pass) within 1e-4 of {@code expected}. */
    private static void assertWithinThePlainReference(float[] got, double[][] expected, int vocab) {
        for (int t = 0; t < expected.length; t++) {
            for (int i = 0; i < vocab; i++) {
                assertThat(Math.abs(got[t * vocab + i] - expected[t][i])).as("position %d logit %d", t, i).isLessThan(1e-4);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void greedyGenerationMatchesThePlainReference(String name, GptjConfig c, DType dtype, int shards, boolean legacy) {
        Path dir = RandomCheckpoints.write(tmp.resolve(name), c, dtype, shards, legacy);
        int[] prompt = randomIds(c, 5, 2);
        List<Integer> expected = new ArrayList<>();
        int[] seq = prompt;
        for (int step = 0; step < 8; step++) {
            double[][] l = NaiveGptj.logits(dir, seq);
            int next = argmax(l[seq.length - 1]);
            expected.add(next);
            seq = java.util.Arrays.copyOf(seq, seq.length + 1);
            seq[seq.length - 1] = next;
        }
        try (GptjEngine e = GptjEngine.load(dir, EngineOptions.defaults().withThreads(2).withPrefillChunk(2))) {
            var r = e.generate(GenerationRequest.ofTokens(java.util.Arrays.stream(prompt).boxed().toList())
                    .withMaxTokens(8).withStopAtEos(false), null);
            assertThat(r.tokenIds()).containsExactlyElementsOf(expected);
        }
    }

    /**
     * {@code tie_word_embeddings: true}: HF saves no {@code lm_head.weight} and uses {@code wte} as the output
     * layer. The engine must give the same bits as the untied checkpoint whose
     * {@code lm_head.weight} is a copy of {@code wte}, in every weight format, and ignore a stored one.
     */
    @Test
    void aCheckpointWithTiedEmbeddingsUsesWteAsItsOutputLayer() throws Exception {
        GptjConfig untied = RandomCheckpoints.config(1001, 64, 40, 2, 5, 4, 100, Activation.GELU_NEW, 7);
        GptjConfig tied = RandomCheckpoints.tied(untied);
        Path a = RandomCheckpoints.write(tmp.resolve("tied"), tied, DType.F32, 2, false);
        assertThat(Fixtures.json(a.resolve("config.json")).get("tie_word_embeddings").asBoolean()).isTrue();
        Path b = tmp.resolve("untied-copy");
        Path c = tmp.resolve("tied-with-a-stale-lm-head");
        try (Checkpoint ckpt = Checkpoint.open(a, f -> { })) {
            assertThat(ckpt.find("lm_head.weight")).isEmpty();
            Tensor wte = ckpt.find("transformer.wte.weight").orElseThrow();
            copyWithLmHead(ckpt, b, untied, valuesOf(wte));
            copyWithLmHead(ckpt, c, tied, (start, buf, n) -> java.util.Arrays.fill(buf, 0, n, 0.5f));
        }
        int[] ids = randomIds(untied, 13, 4);
        double[][] expected = NaiveGptj.logits(b, ids);
        List<String> notes = new ArrayList<>();
        for (WeightFormat format : WeightFormat.values()) {
            float[] fromTied = allLogits(a, format, ids, LoadListener.NONE);
            assertThat(allLogits(b, format, ids, LoadListener.NONE)).as(format.name()).containsExactly(fromTied);
            assertThat(allLogits(c, format, ids, listener(notes))).as(format.name()).containsExactly(fromTied);
            if (format == WeightFormat.AS_STORED) {
                assertWithinThePlainReference(fromTied, expected, untied.vocabSize());
            }
        }
        assertThat(notes).anyMatch(n -> n.startsWith("lm_head.weight ignored: tie_word_embeddings is true"));
        assertThat(tied.parameterCount()).isEqualTo(untied.parameterCount() - 1001L * 40);
    }

    private static void copyWithLmHead(Checkpoint from, Path dir, GptjConfig c, SafetensorsWriter.Source lmHead) throws Exception {
        Files.createDirectories(dir);
        List<SafetensorsWriter.Spec> specs = new ArrayList<>();
        for (Tensor t : from.tensors().values()) {
            specs.add(new SafetensorsWriter.Spec(t.name(), DType.F32, t.shape(), valuesOf(t)));
        }
        specs.add(new SafetensorsWriter.Spec("lm_head.weight", DType.F32, new long[] {c.vocabSize(), c.nEmbd()}, lmHead));
        SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), specs);
        Files.writeString(dir.resolve("config.json"), ConfigFile.toJson(c, "float32").toString());
    }

    /** {@code t}'s values as fp32, for writing a copy. */
    private static SafetensorsWriter.Source valuesOf(Tensor t) {
        return (start, buf, n) -> {
            for (int k = 0; k < n; k++) {
                buf[k] = t.getFloat(start + k);
            }
        };
    }

    private static float[] allLogits(Path dir, WeightFormat format, int[] ids, LoadListener listener) {
        try (LoadedModel m = LoadedModel.open(dir, EngineOptions.defaults().withThreads(2).withWeights(format).withListener(listener));
             KvCache cache = m.backend().newCache(ids.length)) {
            return m.backend().forward(List.of(SequenceChunk.all(cache, ids)))[0];
        }
    }

    private static LoadListener listener(List<String> notes) {
        return new LoadListener() {
            @Override
            public void progress(String stage, long done, long total) {
            }

            @Override
            public void note(String message) {
                notes.add(message);
            }
        };
    }

    @Test
    void checkpointsWrittenInEveryDtypeHoldTheSameValuesUpToRounding() {
        GptjConfig c = RandomCheckpoints.config(50, 16, 16, 1, 2, 4, 32, Activation.GELU_NEW, 1);
        Path f32 = RandomCheckpoints.write(tmp.resolve("f32"), c, DType.F32, 1, false);
        Path bf16 = RandomCheckpoints.write(tmp.resolve("bf16"), c, DType.BF16, 2, false);
        try (Checkpoint a = Checkpoint.open(f32, p -> { }); Checkpoint b = Checkpoint.open(bf16, p -> { })) {
            var x = a.find("lm_head.weight").orElseThrow();
            var y = b.find("lm_head.weight").orElseThrow();
            for (int i = 0; i < x.elementCount(); i++) {
                assertThat(y.getFloat(i)).isCloseTo(x.getFloat(i), org.assertj.core.data.Percentage.withPercentage(0.4));
            }
        }
        assertThat(Files.exists(bf16.resolve("config.json"))).isTrue();
        assertThat(Fixtures.json(bf16.resolve("config.json")).get("model_type").asString()).isEqualTo("gptj");
    }

    static int[] randomIds(GptjConfig c, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(c.vocabSize());
        }
        return ids;
    }

    static int argmax(double[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }
}
