package dev.switchboard.gptj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gptj.internal.safetensors.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generation behaviour a caller sees, on the fp16 fixture with the real tokenizer. */
class GptjEngineTest {

    private static GptjEngine engine;

    @BeforeAll
    static void load() {
        engine = GptjEngine.load(Fixtures.small(), options().withPrefillChunk(5));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static EngineOptions options() {
        return EngineOptions.defaults().withThreads(2).withTokenizerDir(Fixtures.tokenizer());
    }

    private static final Sampling SAMPLED = new Sampling(0.9, 40, 0.95, 1.3, 1234L);

    @Test
    void theSameSeedGivesTheSameTokensAndAnotherSeedOthers() {
        GenerationRequest r = GenerationRequest.of("The weather today is").withMaxTokens(24).withSampling(SAMPLED);
        GenerationResult a = engine.generate(r, null);
        GenerationResult b = engine.generate(r, null);
        GenerationResult c = engine.generate(r.withSampling(SAMPLED.withSeed(99L)), null);
        assertThat(a.tokenIds()).hasSize(24).isEqualTo(b.tokenIds());
        assertThat(a.text()).isEqualTo(b.text());
        assertThat(c.tokenIds()).isNotEqualTo(a.tokenIds());
    }

    @Test
    void stopSequencesEndTheTextBeforeThemEvenAcrossTokens() {
        String full = engine.generate(GenerationRequest.of("Hello world").withMaxTokens(20), null).text();
        for (String stop : List.of("kil", "elkil da", "-----")) {
            StringBuilder streamed = new StringBuilder();
            GenerationResult r = engine.generate(GenerationRequest.of("Hello world").withMaxTokens(20)
                    .withStop(List.of("never appears", stop)), (id, delta) -> streamed.append(delta));
            assertThat(r.text()).as(stop).isEqualTo(full.substring(0, full.indexOf(stop)));
            assertThat(streamed.toString()).isEqualTo(r.text());
            assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(r.completionTokens()).isLessThan(20);
        }
        GenerationResult none = engine.generate(GenerationRequest.of("Hello world").withMaxTokens(20)
                .withStop(List.of("zzzz-not-there")), null);
        assertThat(none.text()).isEqualTo(full);
        assertThat(none.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void concurrentRequestsGetTheSameTokensAsOneAtATime() throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        String[] prompts = {"Hello world", "The food was delicious and the service was excellent. Sentiment:",
                            "I need an umbrella because", "numbers 12345", "日本語のテキスト", "Once upon a time there was"};
        for (int i = 0; i < prompts.length; i++) {
            Sampling s = i % 2 == 0 ? Sampling.greedy() : SAMPLED.withSeed((long) i);
            requests.add(GenerationRequest.of(prompts[i]).withMaxTokens(6 + 3 * i).withSampling(s));
        }
        List<GenerationResult> alone = new ArrayList<>();
        try (GptjEngine single = GptjEngine.load(Fixtures.small(), options().withMaxBatchSize(1))) {
            for (GenerationRequest r : requests) {
                alone.add(single.generate(r, null));
            }
        }
        List<GenerationHandle> handles = requests.stream().map(r -> engine.submit(r, null)).toList();
        for (int i = 0; i < requests.size(); i++) {
            GenerationResult together = handles.get(i).result().get(60, TimeUnit.SECONDS);
            assertThat(together.tokenIds()).as("request %d", i).isEqualTo(alone.get(i).tokenIds());
            assertThat(together.text()).isEqualTo(alone.get(i).text());
        }
    }

    /**
     * Prompts of 64 tokens or more are prefilled with other kernels than short ones; the batcher cuts
     * every prompt at the same places (every prefillChunk tokens) whatever else runs, so concurrent
     * requests still get exactly the tokens they get alone.
     */
    @Test
    void concurrentLongPromptsGetTheSameTokensAsOneAtATime() throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        String[] prompts = {"The quick brown fox jumps over the lazy dog. ".repeat(15), "Hello world",
                            "Once upon a time, in a land far away, there lived a king who had three daughters. ".repeat(5),
                            "numbers 1 2 3 4 5 6 7 8 9 10 ".repeat(9)};
        for (int i = 0; i < prompts.length; i++) {
            Sampling s = i % 2 == 0 ? Sampling.greedy() : SAMPLED.withSeed((long) i);
            requests.add(GenerationRequest.of(prompts[i]).withMaxTokens(5 + 2 * i).withSampling(s));
        }
        assertThat(engine.tokenizer().count(prompts[0])).isGreaterThan(64 + 64); // two long chunks and a short one
        EngineOptions chunked = options().withPrefillChunk(64);
        List<GenerationResult> alone = new ArrayList<>();
        try (GptjEngine single = GptjEngine.load(Fixtures.small(), chunked.withMaxBatchSize(1))) {
            for (GenerationRequest r : requests) {
                alone.add(single.generate(r, null));
            }
        }
        try (GptjEngine batched = GptjEngine.load(Fixtures.small(), chunked)) {
            List<GenerationHandle> handles = requests.stream().map(r -> batched.submit(r, null)).toList();
            for (int i = 0; i < requests.size(); i++) {
                GenerationResult together = handles.get(i).result().get(60, TimeUnit.SECONDS);
                assertThat(together.tokenIds()).as("request %d", i).isEqualTo(alone.get(i).tokenIds());
            }
        }
    }

    @Test
    void warmingUpLeavesTheEngineAsItWas() {
        GenerationRequest r = GenerationRequest.of("The food was delicious and").withMaxTokens(8).withSampling(SAMPLED);
        GenerationResult before = engine.generate(r, null);
        assertThat(engine.warmUp()).isGreaterThanOrEqualTo(0);
        assertThat(engine.generate(r, null).tokenIds()).isEqualTo(before.tokenIds());
    }

    @Test
    void cancellingStopsARequestAndKeepsWhatItMade() throws Exception {
        CountDownLatch three = new CountDownLatch(3);
        List<Integer> heard = Collections.synchronizedList(new ArrayList<>());
        GenerationHandle h = engine.submit(GenerationRequest.of("Hello").withMaxTokens(900).withStopAtEos(false),
                (id, delta) -> {
                    heard.add(id);
                    three.countDown();
                });
        assertThat(three.await(60, TimeUnit.SECONDS)).isTrue();
        h.cancel();
        GenerationResult r = h.result().get(60, TimeUnit.SECONDS);
        assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.completionTokens()).isBetween(3, 899);
        assertThat(heard).isEqualTo(r.tokenIds());
    }

    @Test
    void aListenerThatThrowsEndsOnlyItsOwnRequest() throws Exception {
        GenerationHandle bad = engine.submit(GenerationRequest.of("Hello").withMaxTokens(900).withStopAtEos(false),
                (id, delta) -> {
                    throw new IllegalStateException("client went away");
                });
        GenerationHandle good = engine.submit(GenerationRequest.of("Hello world").withMaxTokens(20), null);
        assertThat(bad.result().get(60, TimeUnit.SECONDS).finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(good.result().get(60, TimeUnit.SECONDS).tokenIds())
                .containsExactlyElementsOf(Fixtures.intList(Fixtures.json(Fixtures.small().resolve("reference.json"))
                        .get("cases").get(0).get("greedy_20")));
    }

    @Test
    void promptsTheModelCannotTakeAreRejectedWithTheLimitNamed() {
        assertThatThrownBy(() -> engine.submit(GenerationRequest.of(""), null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("prompt is empty");
        List<Integer> tooLong = IntStream.range(0, 1025).map(i -> 11).boxed().toList();
        assertThatThrownBy(() -> engine.submit(GenerationRequest.ofTokens(tooLong), null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("1025 tokens")
                .hasMessageContaining("n_positions").hasMessageContaining("1024");
        assertThatThrownBy(() -> engine.submit(GenerationRequest.ofTokens(List.of(5, 50400)), null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("token id 50400 at prompt position 1")
                .hasMessageContaining("0..50399");
        assertThatThrownBy(() -> engine.submit(GenerationRequest.ofTokens(List.of(-1)), null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("token id -1");
        assertThatThrownBy(() -> GenerationRequest.of("x").withMaxTokens(0)).hasMessageContaining("maxTokens must be ≥ 1");
        assertThatThrownBy(() -> new Sampling(-1, 0, 1, 1, null)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampling(1, 0, 0, 1, null)).hasMessageContaining("topP");
    }

    @Test
    void generationEndsWhenTheContextWindowIsFull() {
        // n_positions is 1024: a 1022-token prompt leaves room for positions 1022 and 1023, so 3 tokens come out.
        List<Integer> prompt = IntStream.range(0, 1022).map(i -> 100 + i % 50).boxed().toList();
        GenerationResult r = engine.generate(GenerationRequest.ofTokens(prompt).withMaxTokens(50).withStopAtEos(false), null);
        assertThat(r.completionTokens()).isEqualTo(3);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void theEndOfSequenceTokenEndsGeneration(@TempDir Path tmp) {
        // three tokens, EOS = 1, sampled hot: EOS comes within a few steps
        Path dir = RandomCheckpoints.write(tmp, RandomCheckpoints.config(3, 64, 16, 1, 2, 4, 32, GptjConfig.Activation.GELU_NEW, 1),
                DType.F32, 1, false);
        try (GptjEngine e = GptjEngine.load(dir, EngineOptions.defaults().withThreads(1))) {
            GenerationResult r = e.generate(GenerationRequest.ofTokens(List.of(0, 2)).withMaxTokens(60)
                    .withSampling(Sampling.temperature(5).withSeed(3L)), null);
            assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(r.tokenIds().getLast()).isEqualTo(1);
            assertThat(r.tokenIds().subList(0, r.tokenIds().size() - 1)).doesNotContain(1);
            assertThat(r.text()).isNull();
            assertThatThrownBy(() -> e.submit(GenerationRequest.of("text"), null))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("need a tokenizer");
            assertThatThrownBy(() -> e.submit(GenerationRequest.ofTokens(List.of(0)).withStop(List.of("x")), null))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("stop sequences need a tokenizer");
            assertThat(e.generate(GenerationRequest.ofTokens(List.of(0, 2)).withMaxTokens(60).withStopAtEos(false)
                    .withSampling(Sampling.temperature(5).withSeed(3L)), null).completionTokens()).isEqualTo(60);
        }
    }

    @Test
    void tokenizerCountsTokens() {
        assertThat(engine.tokenizer().count("The food was delicious and the service was excellent.")).isEqualTo(10);
        assertThat(engine.hasTokenizer()).isTrue();
    }
}
