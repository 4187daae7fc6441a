package dev.switchboard.gptj;

/** How weight matrices are held in memory. */
public enum WeightFormat {
    /** As stored in the checkpoint (F32, F16 or BF16), memory-mapped; the arithmetic is fp32. */
    AS_STORED,
    /** Quantized at load to int8 with one fp32 scale per block of 64 weights of a row (≈1.06 bytes per weight). */
    INT8,
    /**
     * Quantized at load to int8 with one fp32 scale per row, i.e. per output feature (≈1 byte per weight):
     * the scale multiplies each output once instead of every 16 weights, so decode does fewer operations
     * per weight than {@link #INT8}, at a larger quantization error (a row's largest weight sets its step).
     */
    INT8_ROW;

    /** Whether the weights are quantized to int8 at load (either scale layout). */
    public boolean isInt8() {
        return this != AS_STORED;
    }
}
