package dev.switchboard.gptj.internal.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.Fixtures;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The forward pass against HF GPTJForCausalLM on the tiny fp32 fixture (reference.json). */
class TinyModelReferenceTest {

    private static LoadedModel model;

    @BeforeAll
    static void load() {
        model = LoadedModel.open(Fixtures.tiny(), EngineOptions.defaults().withThreads(2));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<JsonNode> cases() {
        JsonNode ref = Fixtures.json(Fixtures.tiny().resolve("reference.json"));
        List<JsonNode> out = new ArrayList<>();
        ref.get("cases").forEach(out::add);
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void finalLogitsMatchHfWithin1e4AndArgmaxPerPositionIsIdentical(JsonNode c) {
        ForwardBackend b = model.backend();
        int[] ids = Fixtures.ints(c.get("input_ids"));
        int vocab = b.config().vocabSize();
        try (KvCache cache = b.newCache(ids.length)) {
            float[] all = b.forward(List.of(SequenceChunk.all(cache, ids)))[0];
            float[] last = java.util.Arrays.copyOfRange(all, (ids.length - 1) * vocab, ids.length * vocab);
            float[] expected = Fixtures.floats(c.get("last_logits"));
            for (int i = 0; i < vocab; i++) {
                assertThat(last[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4f));
            }
            int[] argmax = IntStream.range(0, ids.length).map(p -> argmax(all, p * vocab, vocab)).toArray();
            assertThat(argmax).containsExactly(Fixtures.ints(c.get("argmax_per_position")));
            if (c.has("all_logits") && !c.get("all_logits").isNull()) {
                JsonNode rows = c.get("all_logits");
                for (int p = 0; p < ids.length; p++) {
                    float[] row = Fixtures.floats(rows.get(p));
                    for (int i = 0; i < vocab; i++) {
                        assertThat(all[p * vocab + i]).as("position %d logit %d", p, i).isCloseTo(row[i], within(1e-4f));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void greedyTwentyTokensWithKvCacheAreIdentical(JsonNode c) {
        ForwardBackend b = model.backend();
        int[] ids = Fixtures.ints(c.get("input_ids"));
        int[] expected = Fixtures.ints(c.get("greedy_20"));
        int vocab = b.config().vocabSize();
        try (KvCache cache = b.newCache(ids.length + expected.length)) {
            float[] logits = b.forward(List.of(SequenceChunk.last(cache, ids)))[0];
            int[] got = new int[expected.length];
            for (int t = 0; t < expected.length; t++) {
                got[t] = argmax(logits, 0, vocab);
                if (t + 1 < expected.length) {
                    logits = b.forward(List.of(SequenceChunk.last(cache, got[t])))[0];
                }
            }
            assertThat(got).containsExactly(expected);
        }
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
}
