package dev.switchboard.gptj.internal.backend;

/**
 * New tokens of one sequence for one forward step: a whole prompt or a part of it (prefill), or the
 * one token sampled last (decode). They occupy positions {@code cache.length() ..} in order.
 *
 * @param logits which of the chunk's logits are wanted
 */
public record SequenceChunk(KvCache cache, int[] tokens, Logits logits) {

    /** Which logits a chunk wants back. */
    public enum Logits {
        /** None: a part of a prompt whose continuation is not sampled yet. */
        NONE,
        /** Of the last token only: what sampling needs. */
        LAST,
        /** Of every token (scoring, the {@code logits} command). */
        ALL
    }

    public SequenceChunk {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a chunk needs at least one token");
        }
    }

    public static SequenceChunk last(KvCache cache, int... tokens) {
        return new SequenceChunk(cache, tokens, Logits.LAST);
    }

    public static SequenceChunk all(KvCache cache, int... tokens) {
        return new SequenceChunk(cache, tokens, Logits.ALL);
    }

    /** How many logit rows this chunk gets back. */
    public int logitRows() {
        return switch (logits) {
            case NONE -> 0;
            case LAST -> 1;
            case ALL -> tokens.length;
        };
    }
}
