package dev.switchboard.gptj.internal.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.BackendUnavailableException;
import dev.switchboard.gptj.Device;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.Fixtures;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The HF reference fixtures on the GPU: greedy tokens identical and logits within fp16 tolerance,
 * through every path of the CUDA backend (prefill GEMMs, graph-captured single-sequence decode,
 * batched decode, on-device greedy). The fixtures' references are fp32; the GPU keeps weights,
 * KV cache and matrix inputs in fp16, which moves logits by about 1e-3. Skipped without a GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaFixturesGpuTest {
    /** Max |logit - HF fp32 logit|: fp16 rounding of weights (tiny is fp32), activations and cache. */
    static final float TOLERANCE = 5e-3f;

    private LoadedModel tiny;
    private LoadedModel small;

    @BeforeAll
    void load() {
        EngineOptions options = EngineOptions.defaults().withDevice(Device.CUDA).withThreads(1).withMaxBatchSize(4);
        try {
            tiny = LoadedModel.open(Fixtures.tiny(), options);
            small = LoadedModel.open(Fixtures.small(), options);
        } catch (BackendUnavailableException e) {
            Assumptions.abort("no GPU here: " + e.getMessage());
        }
    }

    @AfterAll
    void close() {
        if (tiny != null) {
            tiny.close();
        }
        if (small != null) {
            small.close();
        }
    }

    private LoadedModel model(String name) {
        return name.equals("tiny") ? tiny : small;
    }

    private static Path dir(String name) {
        return name.equals("tiny") ? Fixtures.tiny() : Fixtures.small();
    }

    private static List<JsonNode> cases(String name) {
        List<JsonNode> out = new ArrayList<>();
        Fixtures.json(dir(name).resolve("reference.json")).get("cases").forEach(out::add);
        return out;
    }

    /** Reference logits of the last position: all of them (tiny) or the 64 largest (small). */
    private static float maxError(float[] last, JsonNode c) {
        float worst = 0;
        if (c.has("last_logits")) {
            float[] expected = Fixtures.floats(c.get("last_logits"));
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(last[i] - expected[i]));
            }
        } else {
            for (JsonNode pair : c.get("last_logits_top64")) {
                worst = Math.max(worst, Math.abs(last[pair.get(0).asInt()] - (float) pair.get(1).asDouble()));
            }
        }
        return worst;
    }

    static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void prefillLogitsAreWithinFp16ToleranceAndArgmaxPerPositionIsIdentical(String name) {
        ForwardBackend b = model(name).backend();
        int vocab = b.config().vocabSize();
        for (JsonNode c : cases(name)) {
            int[] ids = Fixtures.ints(c.get("input_ids"));
            try (KvCache cache = b.newCache(ids.length)) {
                float[] all = b.forward(List.of(SequenceChunk.all(cache, ids)))[0];
                float[] last = Arrays.copyOfRange(all, (ids.length - 1) * vocab, ids.length * vocab);
                float err = maxError(last, c);
                System.out.printf("%s %d tokens: prefill max |logit error| %.2e%n", name, ids.length, err);
                assertThat(err).as("%s, %d tokens", name, ids.length).isLessThan(TOLERANCE);
                int[] argmax = IntStream.range(0, ids.length).map(p -> argmax(all, p * vocab, vocab)).toArray();
                assertThat(argmax).containsExactly(Fixtures.ints(c.get("argmax_per_position")));
                assertThat(cache.length()).isEqualTo(ids.length);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void greedyTokensThroughSingleSequenceDecodeAreIdentical(String name) {
        ForwardBackend b = model(name).backend();
        int vocab = b.config().vocabSize();
        for (JsonNode c : cases(name)) {
            int[] ids = Fixtures.ints(c.get("input_ids"));
            int[] expected = Fixtures.ints(c.get("greedy_20"));
            try (KvCache cache = b.newCache(ids.length + expected.length)) {
                float[] logits = b.forward(List.of(SequenceChunk.last(cache, ids)))[0];
                assertThat(maxError(logits, c)).isLessThan(TOLERANCE);
                int[] got = new int[expected.length];
                for (int t = 0; t < expected.length; t++) {
                    got[t] = argmax(logits, 0, vocab);
                    if (t + 1 < expected.length) {
                        logits = b.forward(List.of(SequenceChunk.last(cache, got[t])))[0];
                    }
                }
                assertThat(got).as("%s, %d-token prompt", name, ids.length).containsExactly(expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void greedyTokensOfAllCasesDecodedAsOneBatchAreIdentical(String name) {
        ForwardBackend b = model(name).backend();
        int vocab = b.config().vocabSize();
        List<JsonNode> cs = cases(name);
        List<KvCache> caches = new ArrayList<>();
        try {
            List<SequenceChunk> prompts = new ArrayList<>();
            for (JsonNode c : cs) {
                int[] ids = Fixtures.ints(c.get("input_ids"));
                KvCache cache = b.newCache(ids.length + 20);
                caches.add(cache);
                prompts.add(SequenceChunk.last(cache, ids));
            }
            float[][] logits = b.forward(prompts);  // ragged prefill of every prompt in one call
            int[][] got = new int[cs.size()][20];
            for (int t = 0; t < 20; t++) {
                List<SequenceChunk> step = new ArrayList<>();
                for (int i = 0; i < cs.size(); i++) {
                    got[i][t] = argmax(logits[i], 0, vocab);
                    step.add(SequenceChunk.last(caches.get(i), got[i][t]));
                }
                if (t + 1 < 20) {
                    logits = b.forward(step);
                }
            }
            for (int i = 0; i < cs.size(); i++) {
                assertThat(got[i]).as("%s case %d", name, i).containsExactly(Fixtures.ints(cs.get(i).get("greedy_20")));
            }
        } finally {
            caches.forEach(KvCache::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void onDeviceGreedyGenerationIsIdentical(String name) {
        CudaBackend backend = (CudaBackend) model(name).backend();
        for (JsonNode c : cases(name)) {
            int[] ids = Fixtures.ints(c.get("input_ids"));
            try (CudaKvCache cache = (CudaKvCache) backend.newCache(ids.length + 20)) {
                GptjDevice.GreedyRun run = backend.device().greedy(cache.slot, ids, 20, -1);
                assertThat(run.tokens()).as("%s, %d-token prompt", name, ids.length)
                        .containsExactly(Fixtures.ints(c.get("greedy_20")));
            }
        }
        // and several sequences at once, argmax on the device
        List<JsonNode> cs = cases(name);
        List<KvCache> caches = new ArrayList<>();
        try {
            int[] slots = new int[cs.size()];
            int[][] prompts = new int[cs.size()][];
            for (int i = 0; i < cs.size(); i++) {
                prompts[i] = Fixtures.ints(cs.get(i).get("input_ids"));
                CudaKvCache cache = (CudaKvCache) backend.newCache(prompts[i].length + 20);
                caches.add(cache);
                slots[i] = cache.slot;
            }
            int[][] got = backend.device().greedyBatch(slots, prompts, 20);
            for (int i = 0; i < cs.size(); i++) {
                assertThat(got[i]).as("%s batch row %d", name, i).containsExactly(Fixtures.ints(cs.get(i).get("greedy_20")));
            }
        } finally {
            caches.forEach(KvCache::close);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "small"})
    void singleTokenDecodeAgreesWithPrefillOfTheSameSequence(String name) {
        ForwardBackend b = model(name).backend();
        int vocab = b.config().vocabSize();
        JsonNode c = cases(name).get(1);
        int[] ids = Fixtures.ints(c.get("input_ids"));
        float[] viaDecode;
        try (KvCache cache = b.newCache(ids.length)) {
            b.forward(List.of(SequenceChunk.last(cache, Arrays.copyOf(ids, ids.length - 1))));
            viaDecode = b.forward(List.of(SequenceChunk.last(cache, ids[ids.length - 1])))[0];
        }
        float[] viaPrefill;
        try (KvCache cache = b.newCache(ids.length)) {
            viaPrefill = b.forward(List.of(SequenceChunk.last(cache, ids)))[0];
        }
        float worst = 0;
        for (int i = 0; i < vocab; i++) {
            worst = Math.max(worst, Math.abs(viaDecode[i] - viaPrefill[i]));
        }
        System.out.printf("%s: decode (GEMV) vs prefill (GEMM) max |difference| %.2e%n", name, worst);
        assertThat(worst).isLessThan(TOLERANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny"})
    void rejectsOutOfRangeTokensAndOverflowWithoutTouchingTheCache(String name) {
        ForwardBackend b = model(name).backend();
        try (KvCache cache = b.newCache(4)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> b.forward(List.of(SequenceChunk.last(cache, 1, 5000))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000");
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> b.forward(List.of(SequenceChunk.last(cache, 1, 2, 3, 4, 5))))
                    .hasMessageContaining("capacity");
            assertThat(cache.length()).isZero();
        }
    }
}
