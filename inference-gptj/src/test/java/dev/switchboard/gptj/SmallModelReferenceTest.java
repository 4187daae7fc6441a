package dev.switchboard.gptj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The fp16 fixture with the real GPT-J vocabulary, end to end through the engine, against HF. */
class SmallModelReferenceTest {

    private static GptjEngine engine;
    private static LoadedModel raw;

    @BeforeAll
    static void load() {
        EngineOptions opts = EngineOptions.defaults().withThreads(2).withTokenizerDir(Fixtures.tokenizer());
        engine = GptjEngine.load(Fixtures.small(), opts);
        raw = LoadedModel.open(Fixtures.small(), opts);
    }

    @AfterAll
    static void close() {
        engine.close();
        raw.close();
    }

    static Stream<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        Fixtures.json(Fixtures.small().resolve("reference.json")).get("cases").forEach(out::add);
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void promptTokenizesToTheReferenceIds(JsonNode c) {
        assertThat(engine.tokenizer().encode(c.get("prompt").asString()))
                .containsExactlyElementsOf(Fixtures.intList(c.get("input_ids")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void top64LogitsAndArgmaxPerPositionMatchHf(JsonNode c) {
        ForwardBackend b = raw.backend();
        int[] ids = Fixtures.ints(c.get("input_ids"));
        int vocab = b.config().vocabSize();
        try (KvCache cache = b.newCache(ids.length)) {
            float[] all = b.forward(List.of(SequenceChunk.all(cache, ids)))[0];
            int[] argmax = new int[ids.length];
            for (int p = 0; p < ids.length; p++) {
                int best = 0;
                for (int i = 1; i < vocab; i++) {
                    if (all[p * vocab + i] > all[p * vocab + best]) {
                        best = i;
                    }
                }
                argmax[p] = best;
            }
            assertThat(argmax).containsExactly(Fixtures.ints(c.get("argmax_per_position")));
            int lastRow = (ids.length - 1) * vocab;
            for (JsonNode pair : c.get("last_logits_top64")) {
                int id = pair.get(0).asInt();
                assertThat(all[lastRow + id]).as("logit of %d", id).isCloseTo((float) pair.get(1).asDouble(), within(1e-4f));
            }
            // and they are the 64 largest, in order
            Integer[] order = new Integer[vocab];
            for (int i = 0; i < vocab; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Float.compare(all[lastRow + y], all[lastRow + x]));
            List<Integer> expectedTop = new ArrayList<>();
            c.get("last_logits_top64").forEach(p -> expectedTop.add(p.get(0).asInt()));
            assertThat(List.of(order).subList(0, 64)).containsExactlyElementsOf(expectedTop);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void greedyTwentyTokensAndTheirTextAreIdentical(JsonNode c) {
        StringBuilder streamed = new StringBuilder();
        GenerationResult r = engine.generate(
                GenerationRequest.of(c.get("prompt").asString()).withMaxTokens(20),
                (id, delta) -> streamed.append(delta));
        assertThat(r.tokenIds()).containsExactlyElementsOf(Fixtures.intList(c.get("greedy_20")));
        assertThat(r.text()).isEqualTo(c.get("greedy_20_text").asString());
        assertThat(streamed.toString()).isEqualTo(r.text());
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.promptTokens()).isEqualTo(c.get("input_ids").size());
        assertThat(r.completionTokens()).isEqualTo(20);
    }
}
