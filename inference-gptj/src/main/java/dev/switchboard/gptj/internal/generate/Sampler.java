package dev.switchboard.gptj.internal.generate;

import dev.switchboard.gptj.Sampling;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Chooses the next token from logits with HF {@code generate}'s processors, in HF's order:
 * {@code RepetitionPenaltyLogitsProcessor}, then {@code TemperatureLogitsWarper}, {@code TopKLogitsWarper},
 * {@code TopPLogitsWarper}, then a draw from the softmax (or argmax when greedy). The random generator
 * is the request's own (L64X128MixRandom seeded with {@link Sampling#seed()}), so equal seeds give
 * equal tokens whatever else the engine is doing. One per sequence; not thread-safe.
 */
public final class Sampler {

    private final Sampling s;
    private final RandomGenerator rng;
    private final boolean[] seen;   // tokens already in the sequence (for the repetition penalty)
    private int[] seenList = new int[64];
    private int seenCount;

    public Sampler(Sampling sampling, int vocabSize, long seed) {
        this.s = sampling;
        this.rng = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        this.seen = sampling.repetitionPenalty() != 1.0 ? new boolean[vocabSize] : null;
    }

    /** Records a token of the sequence (prompt or generated) for the repetition penalty. */
    public void observe(int token) {
        if (seen != null && !seen[token]) {
            seen[token] = true;
            if (seenCount == seenList.length) {
                seenList = Arrays.copyOf(seenList, seenCount * 2);
            }
            seenList[seenCount++] = token;
        }
    }

    /** The next token; {@code logits} is modified. */
    public int next(float[] logits) {
        if (seen != null) {
            float p = (float) s.repetitionPenalty();
            for (int i = 0; i < seenCount; i++) {
                int t = seenList[i];
                float l = logits[t];
                logits[t] = l < 0 ? l * p : l / p;
            }
        }
        if (s.isGreedy()) {
            return argmax(logits);
        }
        float temp = (float) s.temperature();
        for (int i = 0; i < logits.length; i++) {
            logits[i] = logits[i] / temp;
        }
        int[] candidates = topK(logits, s.topK());
        if (s.topP() < 1.0) {
            candidates = topP(logits, candidates, s.topP());
        }
        return draw(logits, candidates);
    }

    /** First index of the largest value (torch.argmax). */
    static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Ids whose logit is at least the k-th largest (ties kept, as HF); all ids when k is 0 or ≥ vocab. */
    static int[] topK(float[] logits, int k) {
        int n = logits.length;
        if (k <= 0 || k >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        float[] copy = logits.clone();
        Arrays.sort(copy);
        float threshold = copy[n - k];
        int count = 0;
        for (float l : logits) {
            if (l >= threshold) {
                count++;
            }
        }
        int[] out = new int[count];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (logits[i] >= threshold) {
                out[j++] = i;
            }
        }
        return out;
    }

    /**
     * HF TopP: sort ascending, cumulative softmax, drop those whose cumulative probability is at most
     * {@code 1 - p}; the most likely token always stays.
     */
    static int[] topP(float[] logits, int[] candidates, double p) {
        int n = candidates.length;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (sortable(logits[candidates[i]]) << 32) | candidates[i];
        }
        Arrays.sort(keys);
        double max = logits[(int) keys[n - 1]];
        double total = 0;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp(logits[(int) keys[i]] - max);
            total += w[i];
        }
        double cum = 0;
        int firstKept = n - 1;
        for (int i = 0; i < n - 1; i++) {
            cum += w[i] / total;
            if (cum > 1.0 - p) {
                firstKept = i;
                break;
            }
        }
        int[] kept = new int[n - firstKept];
        for (int i = firstKept; i < n; i++) {
            kept[i - firstKept] = (int) keys[i];
        }
        Arrays.sort(kept);
        return kept;
    }

    /** Maps a float to a long that sorts in the same order (non-negative, fits in 32 bits). */
    private static long sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return (bits < 0 ? ~bits : bits | 0x80000000) & 0xffffffffL;
    }

    private int draw(float[] logits, int[] candidates) {
        float max = Float.NEGATIVE_INFINITY;
        for (int id : candidates) {
            max = Math.max(max, logits[id]);
        }
        double[] w = new double[candidates.length];
        double total = 0;
        for (int i = 0; i < candidates.length; i++) {
            w[i] = Math.exp(logits[candidates[i]] - max);
            total += w[i];
        }
        double u = rng.nextDouble() * total;
        double cum = 0;
        for (int i = 0; i < candidates.length; i++) {
            cum += w[i];
            if (u < cum) {
                return candidates[i];
            }
        }
        return candidates[candidates.length - 1];
    }
}
