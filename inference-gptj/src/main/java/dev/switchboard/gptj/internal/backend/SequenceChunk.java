package dev.switchboard.gptj.internal.backend;

/**
 * New tokens of one sequence for one forward step: a whole prompt or a part of it (prefill), or the
 * one token sampled last (decode). They occupy positions {@code cache.length() ..} in order.
 *
 * @param allLogits whether logits of every token are wanted, or only of the last
 */
public record SequenceChunk(KvCache cache, int[] tokens, boolean allLogits) {

    public SequenceChunk {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a chunk needs at least one token");
        }
    }

    public static SequenceChunk last(KvCache cache, int... tokens) {
        return new SequenceChunk(cache, tokens, false);
    }
}
