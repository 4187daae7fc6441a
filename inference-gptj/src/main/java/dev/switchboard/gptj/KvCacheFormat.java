package dev.switchboard.gptj;

import java.util.Locale;

/** How the CPU backend holds each sequence's keys and values (the KV cache). */
public enum KvCacheFormat {
    /** fp32: exact, every logit as HF computes it. 4 bytes per element (a 6B model: ~0.9 MB per position). */
    F32,
    /**
     * bfloat16: keys (after rotary) and values rounded to nearest-even bfloat16 when stored, widened
     * exactly when read; the arithmetic stays fp32. Half the memory per sequence and half the bytes
     * attention reads per generated token, which grows with the context (on a 2-thread int8 decode step the
     * reads of a 1,000-token context's fp32 cache are 14-22% of the step). Not exact to HF: it rounds each key and value to 8
     * significant bits. The CUDA backend's cache is fp16 always and takes only {@link #F32} (meaning its default).
     */
    BF16;

    /** Parses {@code f32} / {@code bf16} (any case). */
    public static KvCacheFormat parse(String name) {
        for (KvCacheFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("KV cache format must be f32 or bf16, got '" + name + "'");
    }

    /** {@code f32} / {@code bf16}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
