package dev.switchboard.gptj;

/**
 * How the next token is chosen, with HF {@code generate} semantics: the repetition penalty is applied
 * first, then temperature, top-k and top-p; temperature 0 means greedy (argmax).
 *
 * @param temperature       0 for greedy decoding, else the divisor of the logits (&gt; 0)
 * @param topK              keep only the k most likely tokens; 0 turns it off
 * @param topP              keep the smallest set of tokens whose probability reaches topP; 1 turns it off
 * @param repetitionPenalty divides positive (multiplies negative) logits of tokens already in the sequence; 1 turns it off
 * @param seed              seed of the request's random generator; null draws one. Equal seeds give equal tokens.
 */
public record Sampling(double temperature, int topK, double topP, double repetitionPenalty, Long seed) {

    public Sampling {
        if (!(temperature >= 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be ≥ 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be ≥ 0 (0 = off), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0) || !Double.isFinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be > 0 (1 = off), got " + repetitionPenalty);
        }
    }

    /** Argmax decoding, as HF {@code generate(do_sample=False)}. */
    public static Sampling greedy() {
        return new Sampling(0, 0, 1, 1, null);
    }

    /** Sampling at the given temperature with no top-k/top-p filter. */
    public static Sampling temperature(double temperature) {
        return new Sampling(temperature, 0, 1, 1, null);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    public Sampling withTopK(int k) {
        return new Sampling(temperature, k, topP, repetitionPenalty, seed);
    }

    public Sampling withTopP(double p) {
        return new Sampling(temperature, topK, p, repetitionPenalty, seed);
    }

    public Sampling withRepetitionPenalty(double penalty) {
        return new Sampling(temperature, topK, topP, penalty, seed);
    }

    public Sampling withSeed(Long s) {
        return new Sampling(temperature, topK, topP, repetitionPenalty, s);
    }
}
