package dev.switchboard.gptj;

/** How weight matrices are held in memory. */
public enum WeightFormat {
    /** As stored in the checkpoint (F32, F16 or BF16), memory-mapped; the arithmetic is fp32. */
    AS_STORED,
    /** Quantized at load to int8 with one fp32 scale per block of 64 weights of a row (≈1.06 bytes per weight). */
    INT8
}
