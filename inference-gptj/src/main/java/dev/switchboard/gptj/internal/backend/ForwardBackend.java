package dev.switchboard.gptj.internal.backend;

import dev.switchboard.gptj.GptjConfig;
import java.util.List;

/**
 * The GPT-J forward pass on one device: all a device must implement. Loading, tokenization,
 * sampling, stop sequences, streaming and continuous batching are shared and sit above this interface.
 *
 * <p>Numerics: the result must be HF {@code GPTJForCausalLM} (fp32 softmax, rotary in the interleaved
 * layout, gelu_new ...) up to the device's arithmetic. Thread-safety: one caller at a time (the
 * engine's batching thread); caches may be created and closed from any thread.
 */
public interface ForwardBackend extends AutoCloseable {

    GptjConfig config();

    /** One line for logs and the CLI, e.g. {@code "cpu, 16 threads, int8 weights 1.07 GB"}. */
    String describe();

    /** Bytes of weights one decode step reads (what bounds decode speed by memory bandwidth). */
    long weightBytesPerStep();

    /** A new, empty cache for up to {@code capacity} positions (at most {@code n_positions}). */
    KvCache newCache(int capacity);

    /**
     * Runs the model on a ragged batch of sequences that share this pass over the weights. Each chunk's
     * tokens are appended to its cache (advancing {@link KvCache#length()}). Returns, per chunk, the
     * logits it asked for: null ({@code NONE}), of its last token ({@code LAST}, {@code float[vocab]}) or
     * of every token ({@code ALL}, {@code float[tokens * vocab]}, row-major).
     *
     * @throws IllegalArgumentException if a token id is out of range or a cache would overflow; no cache changes then
     */
    float[][] forward(List<SequenceChunk> chunks);

    /**
     * Whether the backend reads the mapped checkpoint while it lives. One that copied everything it
     * needs (int8, device memory) says false, and the engine unmaps the files after loading.
     */
    default boolean needsCheckpoint() {
        return true;
    }

    @Override
    void close();
}
