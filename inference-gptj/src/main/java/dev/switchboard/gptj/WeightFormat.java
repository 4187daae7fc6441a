package dev.switchboard.gptj;

/** How weight matrices are held in memory. */
public enum WeightFormat {
    /** As stored in the checkpoint (F32, F16 or BF16), memory-mapped; the arithmetic is fp32. */
    AS_STORED,
    /** Quantized at load to int8 with one fp32 scale per block of 64 weights of a row (≈1.06 bytes per weight). */
    INT8,
    /**
     * {@link #INT8} weights, and generated tokens' activations quantized to int8 as well (one scale per
     * block of 64, at every matrix product) so that decode multiplies int8 by int8 (CPU integer kernels,
     * AVX-512 only; elsewhere it is {@link #INT8}). Prompts stay fp32 × int8. Faster decode of one to
     * three sequences (about +15% on average on a Xeon, 0.95–1.33× over five runs), slower batches of
     * four or more (0.5–0.8×; inference-gptj/bench/CPU-NOTES.md); a token's result still never depends
     * on the batch around it.
     */
    W8A8;

    /** Whether the weights are held as int8 ({@link #INT8} or {@link #W8A8}). */
    public boolean int8() {
        return this != AS_STORED;
    }
}
