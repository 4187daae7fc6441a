package dev.switchboard.gptj.internal.backend;

/**
 * New tokens of one sequence for one forward step: a whole prompt or a part of it (prefill), or the
 * one token sampled last (decode). They occupy positions {@code cache.length() ..} in order.
 *
 * @param logits which of the chunk's logits are wanted
 * @param generated whether the tokens are ones the model generated (decode) rather than given ones (a
 *     prompt). The CPU backend picks kernels by a chunk's kind and length: generated tokens and short
 *     prompt chunks take {@code Matmul} (with W8A8, generated tokens' activations in int8:
 *     {@code Q8Matrix.multiplyQuantized}), prompt chunks of 64+ tokens (96+ with int8) {@code PromptMatmul}.
 *     So a token's result depends on its chunk, never on the batch around it.
 */
public record SequenceChunk(KvCache cache, int[] tokens, Logits logits, boolean generated) {

    /** Which logits a chunk wants back. */
    public enum Logits {
        /** None: a part of a prompt whose continuation is not sampled yet. */
        NONE,
        /** Of the last token only: what sampling needs. */
        LAST,
        /** Of every token (scoring, the {@code logits} command). */
        ALL
    }

    /** Given tokens (a prompt or part of one). */
    public SequenceChunk(KvCache cache, int[] tokens, Logits logits) {
        this(cache, tokens, logits, false);
    }

    public SequenceChunk {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("a chunk needs at least one token");
        }
    }

    public static SequenceChunk last(KvCache cache, int... tokens) {
        return new SequenceChunk(cache, tokens, Logits.LAST);
    }

    /** The token the model generated last, fed back to get the next one's logits. */
    public static SequenceChunk generated(KvCache cache, int token) {
        return new SequenceChunk(cache, new int[] {token}, Logits.LAST, true);
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
