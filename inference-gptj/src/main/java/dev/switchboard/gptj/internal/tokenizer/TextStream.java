package dev.switchboard.gptj.internal.tokenizer;

/**
 * Turns generated token ids into text deltas. A delta never ends inside a UTF-8 character: bytes
 * of an unfinished character wait for the tokens that complete it. The concatenation of every
 * {@link #push} result and {@link #finish()} equals the tokenizer's decoding of all the ids.
 * Not thread-safe; one per sequence.
 */
public interface TextStream {

    /** The text that token {@code id} completes (often the token's own text; empty while a character is unfinished). */
    String push(int id);

    /** Whatever is still held back, with malformed bytes replaced by U+FFFD as the tokenizer does. */
    String finish();
}
