package dev.switchboard.gptj.internal.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.Sampling;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void greedyTakesTheFirstLargest() {
        Sampler s = new Sampler(Sampling.greedy(), 5, 1);
        assertThat(s.next(new float[] {0.1f, 3f, -1f, 3f, 2f})).isEqualTo(1);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokensOnce() {
        Sampler s = new Sampler(Sampling.greedy().withRepetitionPenalty(2.0), 4, 1);
        s.observe(0);
        s.observe(2);
        s.observe(2); // seen twice, penalised once (HF gathers/scatters over the unique set)
        float[] logits = {4f, 3f, -1f, 0.5f};
        assertThat(s.next(logits)).isEqualTo(1);
        assertThat(logits).containsExactly(2f, 3f, -2f, 0.5f);
    }

    @Test
    void topKKeepsTheKLargestAndTies() {
        assertThat(Sampler.topK(new float[] {1f, 5f, 3f, 5f, 0f}, 2)).containsExactly(1, 3);
        assertThat(Sampler.topK(new float[] {1f, 5f, 3f, 3f, 0f}, 2)).containsExactly(1, 2, 3);
        assertThat(Sampler.topK(new float[] {1f, 2f}, 0)).containsExactly(0, 1);
        assertThat(Sampler.topK(new float[] {1f, 2f}, 9)).containsExactly(0, 1);
    }

    @Test
    void topPKeepsTheSmallestSetReachingPAsHfDoes() {
        // probabilities ≈ 0.643, 0.237, 0.087, 0.032
        float[] logits = {3f, 2f, 1f, 0f};
        int[] all = {0, 1, 2, 3};
        assertThat(Sampler.topP(logits, all, 0.5)).containsExactly(0);
        assertThat(Sampler.topP(logits, all, 0.7)).containsExactly(0, 1);
        assertThat(Sampler.topP(logits, all, 0.9)).containsExactly(0, 1, 2);
        assertThat(Sampler.topP(logits, all, 0.99)).containsExactly(0, 1, 2, 3);
        assertThat(Sampler.topP(logits, all, 0.0001)).containsExactly(0);
    }

    @Test
    void samplingFollowsTheSoftmaxOfTheTemperedLogits() {
        Sampler s = new Sampler(Sampling.temperature(2.0).withSeed(5L), 3, 5);
        Map<Integer, Integer> counts = new HashMap<>();
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            counts.merge(s.next(new float[] {0f, (float) (2 * Math.log(2)), (float) (2 * Math.log(4))}), 1, Integer::sum);
        }
        // at temperature 2 the weights are 1 : 2 : 4
        assertThat(counts.get(0) / (double) n).isCloseTo(1 / 7.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(counts.get(1) / (double) n).isCloseTo(2 / 7.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(counts.get(2) / (double) n).isCloseTo(4 / 7.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void topKOfOneIsGreedyWhateverTheSeed() {
        for (long seed = 0; seed < 20; seed++) {
            Sampler s = new Sampler(Sampling.temperature(1).withTopK(1).withSeed(seed), 4, seed);
            assertThat(s.next(new float[] {0f, 1f, 0.9f, -2f})).isEqualTo(1);
        }
    }
}
