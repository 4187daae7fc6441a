package dev.switchboard.gptj.internal.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.Fixtures;
import dev.switchboard.gptj.KvCacheFormat;
import dev.switchboard.gptj.WeightFormat;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * int8 weights, and a bfloat16 KV cache, against the fp32 path on the HF fixtures: the share of positions
 * whose argmax (top-1) is the same. Random-weight models have nearly flat logits, the hardest case for
 * quantization.
 */
class Int8AgreementTest {

    @Test
    void tinyFixture() {
        double agreement = agreement(Fixtures.tiny());
        System.out.printf("int8 top-1 agreement with fp32, tiny fixture: %.1f%%%n", agreement * 100);
        assertThat(agreement).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void smallFixtureWithTheRealVocabulary() {
        double agreement = agreement(Fixtures.small());
        System.out.printf("int8 top-1 agreement with fp32, small fp16 fixture: %.1f%%%n", agreement * 100);
        assertThat(agreement).isGreaterThanOrEqualTo(0.95);
    }

    /**
     * A bfloat16 KV cache rounds each key and value to 8 significant bits: with fp32 weights the logits stay
     * close to the exact ones and nearly every argmax the same; with int8 weights too (both approximations
     * at once) about as often as int8 alone.
     */
    @Test
    void aBf16KvCacheAgreesWithFp32() {
        EngineOptions o = EngineOptions.defaults().withThreads(2);
        for (Path model : List.of(Fixtures.tiny(), Fixtures.small())) {
            double kv = agreement(model, o.withKvCache(KvCacheFormat.BF16));
            double both = agreement(model, o.withWeights(WeightFormat.INT8).withKvCache(KvCacheFormat.BF16));
            double int8 = agreement(model, o.withWeights(WeightFormat.INT8));
            System.out.printf("top-1 agreement with fp32, %s: bf16 KV cache %.1f%%, int8 weights %.1f%%, both %.1f%%%n",
                    model.getFileName(), kv * 100, int8 * 100, both * 100);
            assertThat(kv).isGreaterThanOrEqualTo(0.97);
            assertThat(both).isGreaterThanOrEqualTo(0.93);
        }
        try (LoadedModel f = LoadedModel.open(Fixtures.small(), o);
             LoadedModel h = LoadedModel.open(Fixtures.small(), o.withKvCache(KvCacheFormat.BF16))) {
            JsonNode c = Fixtures.json(Fixtures.small().resolve("reference.json")).get("cases").get(0);
            int[] ids = Fixtures.ints(c.get("input_ids"));
            float[] exact = all(f, ids);
            float[] rounded = all(h, ids);
            double worst = 0;
            double spread = 0;
            for (int i = 0; i < exact.length; i++) {
                worst = Math.max(worst, Math.abs(exact[i] - rounded[i]));
                spread = Math.max(spread, Math.abs(exact[i]));
            }
            System.out.printf("bf16 KV cache, small fixture, first case: largest logit difference %.4f (largest logit %.2f)%n",
                    worst, spread);
            assertThat(worst).isLessThan(0.05 * spread);
            assertThat(rounded).isNotEqualTo(exact); // the cache really was rounded
        }
    }

    @Test
    void int8ActivationsOnGeneratedTokensAgreeWithFp32() {
        for (Path model : List.of(Fixtures.tiny(), Fixtures.small())) {
            double w8a8 = decodeAgreement(model, WeightFormat.W8A8);
            double int8 = decodeAgreement(model, WeightFormat.INT8);
            System.out.printf("decode top-1 agreement with fp32, %s: int8 weights %.1f%%, w8a8 %.1f%%%n", model.getFileName(),
                    int8 * 100, w8a8 * 100);
            assertThat(w8a8).isGreaterThanOrEqualTo(0.85);
        }
    }

    /** Share of the greedy continuations' positions, fed back as generated tokens one at a time, where {@code format} and fp32 agree on the argmax. */
    static double decodeAgreement(Path model, WeightFormat format) {
        EngineOptions o = EngineOptions.defaults().withThreads(2);
        int same = 0;
        int total = 0;
        try (LoadedModel f = LoadedModel.open(model, o); LoadedModel q = LoadedModel.open(model, o.withWeights(format))) {
            for (JsonNode c : Fixtures.json(model.resolve("reference.json")).get("cases")) {
                int[] prompt = Fixtures.ints(c.get("input_ids"));
                int[] greedy = Fixtures.ints(c.get("greedy_20"));
                try (KvCache a = f.backend().newCache(prompt.length + greedy.length);
                     KvCache b = q.backend().newCache(prompt.length + greedy.length)) {
                    f.backend().forward(List.of(SequenceChunk.last(a, prompt)));
                    q.backend().forward(List.of(SequenceChunk.last(b, prompt)));
                    for (int token : greedy) {
                        float[] x = f.backend().forward(List.of(SequenceChunk.generated(a, token)))[0];
                        float[] y = q.backend().forward(List.of(SequenceChunk.generated(b, token)))[0];
                        total++;
                        if (TinyModelReferenceTest.argmax(x, 0, x.length) == TinyModelReferenceTest.argmax(y, 0, y.length)) {
                            same++;
                        }
                    }
                }
            }
        }
        return same / (double) total;
    }

    @Test
    void int8WeightsTakeAboutOneBytePerWeight() {
        EngineOptions o = EngineOptions.defaults().withThreads(2);
        try (LoadedModel f = LoadedModel.open(Fixtures.tiny(), o);
             LoadedModel q = LoadedModel.open(Fixtures.tiny(), o.withWeights(WeightFormat.INT8))) {
            double ratio = (double) q.backend().weightBytesPerStep() / f.backend().weightBytesPerStep();
            assertThat(ratio).isBetween(0.25, 0.27); // fp32 → 1 + 4/64 bytes
            assertThat(q.backend().needsCheckpoint()).isFalse();
        }
    }

    /** Share of positions, over every case's prompt and greedy continuation, where int8 and fp32 agree on the argmax. */
    static double agreement(Path model) {
        return agreement(model, EngineOptions.defaults().withThreads(2).withWeights(WeightFormat.INT8));
    }

    /** {@link #agreement(Path)} of the model loaded with {@code options} against fp32 weights and cache. */
    static double agreement(Path model, EngineOptions options) {
        int same = 0;
        int total = 0;
        try (LoadedModel f = LoadedModel.open(model, options.withWeights(WeightFormat.AS_STORED).withKvCache(KvCacheFormat.F32));
             LoadedModel q = LoadedModel.open(model, options)) {
            int vocab = f.config().vocabSize();
            for (JsonNode c : Fixtures.json(model.resolve("reference.json")).get("cases")) {
                int[] prompt = Fixtures.ints(c.get("input_ids"));
                int[] greedy = Fixtures.ints(c.get("greedy_20"));
                int[] ids = java.util.Arrays.copyOf(prompt, prompt.length + greedy.length);
                System.arraycopy(greedy, 0, ids, prompt.length, greedy.length);
                float[] a = all(f, ids);
                float[] b = all(q, ids);
                for (int p = 0; p < ids.length; p++) {
                    total++;
                    if (TinyModelReferenceTest.argmax(a, p * vocab, vocab) == TinyModelReferenceTest.argmax(b, p * vocab, vocab)) {
                        same++;
                    }
                }
            }
        }
        return same / (double) total;
    }

    private static float[] all(LoadedModel m, int[] ids) {
        try (KvCache cache = m.backend().newCache(ids.length)) {
            return m.backend().forward(List.of(SequenceChunk.all(cache, ids)))[0];
        }
    }
}
