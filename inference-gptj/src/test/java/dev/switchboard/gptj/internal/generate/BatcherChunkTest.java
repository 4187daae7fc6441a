package dev.switchboard.gptj.internal.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.Fixtures;
import dev.switchboard.gptj.GenerationHandle;
import dev.switchboard.gptj.GenerationRequest;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The batcher cuts every prompt at the same places — every prefillChunk tokens from its start —
 * however many other requests share the steps, so the backend may choose kernels by chunk length
 * without a request's result depending on the others.
 */
class BatcherChunkTest {

    @Test
    void promptsAreCutAtFixedBoundariesWhateverElseRuns() throws Exception {
        try (LoadedModel m = LoadedModel.open(Fixtures.tiny(), EngineOptions.defaults().withThreads(1))) {
            Recording backend = new Recording(m.backend());
            int[] lengths = {150, 5, 100};
            List<GenerationHandle> handles = new ArrayList<>();
            try (Batcher batcher = new Batcher(backend, null, 8, 64, System::nanoTime)) {
                for (int len : lengths) {
                    List<Integer> ids = IntStream.range(0, len).map(i -> (i * 7 + len) % 1000).boxed().toList();
                    handles.add(batcher.submit(GenerationRequest.ofTokens(ids).withMaxTokens(2), null));
                }
                backend.go.countDown(); // the first step waited: all three now share the following ones
                for (GenerationHandle h : handles) {
                    h.result().get(60, TimeUnit.SECONDS);
                }
            }
            List<List<Integer>> prompts = new ArrayList<>(backend.promptChunks.values());
            assertThat(prompts).containsExactlyInAnyOrder(List.of(64, 64, 22), List.of(5), List.of(64, 36));
            assertThat(backend.steps).isGreaterThan(3); // they did share steps with the budget in play
        }
    }

    /** Delegates, recording each cache's prompt chunk lengths; the first step waits for {@link #go}. */
    private static final class Recording implements ForwardBackend {
        final ForwardBackend inner;
        final CountDownLatch go = new CountDownLatch(1);
        final Map<KvCache, List<Integer>> promptChunks = new IdentityHashMap<>();
        int steps;

        Recording(ForwardBackend inner) {
            this.inner = inner;
        }

        @Override
        public GptjConfig config() {
            return inner.config();
        }

        @Override
        public String describe() {
            return inner.describe();
        }

        @Override
        public long weightBytesPerStep() {
            return inner.weightBytesPerStep();
        }

        @Override
        public KvCache newCache(int capacity) {
            return inner.newCache(capacity);
        }

        @Override
        public float[][] forward(List<SequenceChunk> chunks) {
            try {
                go.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            steps++;
            for (SequenceChunk ch : chunks) {
                if (!ch.generated()) {
                    promptChunks.computeIfAbsent(ch.cache(), k -> new ArrayList<>()).add(ch.tokens().length);
                }
            }
            return inner.forward(chunks);
        }

        @Override
        public void close() {
        }
    }
}
