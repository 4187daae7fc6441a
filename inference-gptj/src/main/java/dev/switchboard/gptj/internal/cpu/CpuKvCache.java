package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.KvCacheFormat;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.kernel.VectorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Keys (after rotary) and values of one sequence, fp32 or bfloat16 ({@link KvCacheFormat}),
 * {@code [layer][head][position][head_dim]}, off
 * the heap in an arena of its own: a finished sequence gives its memory back at once, not at some
 * later garbage collection (a 6B model's cache is ~0.9 MB per position). Head-major, so attention
 * reads one head's keys and values as one sequential stream: position-major rows put a head's
 * consecutive positions {@code n_embd} floats apart — a new 4 KiB page every position for n_embd 1024,
 * where the hardware prefetchers stop.
 */
final class CpuKvCache implements KvCache {

    private final MemorySegment[] keys;   // [n_layer] → capacity * d elements
    private final MemorySegment[] values; // [n_layer] → capacity * d elements
    /** Whether elements are bfloat16 (2 bytes) rather than fp32 (4). */
    private final boolean bf16;
    /** Bytes of one head's key (or value) at one position: the stride between positions. */
    final long rowBytes;
    private final int elementBytes;
    private final Arena arena = Arena.ofShared();
    private final int capacity;
    private final int headDim;
    private int length;
    private boolean closed;

    CpuKvCache(int layers, int d, int headDim, int capacity, KvCacheFormat format) {
        this.capacity = capacity;
        this.headDim = headDim;
        this.bf16 = format == KvCacheFormat.BF16;
        this.elementBytes = bf16 ? 2 : 4;
        this.rowBytes = (long) elementBytes * headDim;
        this.keys = new MemorySegment[layers];
        this.values = new MemorySegment[layers];
        try {
            for (int l = 0; l < layers; l++) {
                keys[l] = arena.allocate((long) elementBytes * capacity * d, 64);
                values[l] = arena.allocate((long) elementBytes * capacity * d, 64);
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    /** Byte offset of {@code (head, position)} in {@code keys[l]} and {@code values[l]}. */
    long offset(int head, int position) {
        return ((long) head * capacity + position) * rowBytes;
    }

    // Attention's reads and writes in the cache's format: each bfloat16 kernel computes what its fp32 twin
    // computes over the widened values (VectorOps). Offsets are bytes from offset(); strides rowBytes.

    /** Stores the key {@code k[from..from+hd)} and the value {@code v[from..]} at byte {@code at} of layer {@code l}. */
    void store(int l, long at, float[] k, float[] v, int from, int hd) {
        if (bf16) {
            VectorOps.storeBf16(k, from, keys[l], at, hd);
            VectorOps.storeBf16(v, from, values[l], at, hd);
        } else {
            VectorOps.store(k, from, keys[l], at, hd);
            VectorOps.store(v, from, values[l], at, hd);
        }
    }

    /** {@link VectorOps#dot} of {@code q[qOff..]} and the key at byte {@code at} of layer {@code l}. */
    float dotKey(int l, float[] q, int qOff, long at, int hd, float[] lanes) {
        return bf16 ? VectorOps.dotBf16(q, qOff, keys[l], at, hd, lanes) : VectorOps.dot(q, qOff, keys[l], at, hd, lanes);
    }

    /** {@link VectorOps#dot4} of four queries in {@code q} and the key at byte {@code at} of layer {@code l}. */
    void dot4Key(int l, float[] q, int q0, int q1, int q2, int q3, long at, int hd, float[] out, float[] lanes) {
        if (bf16) {
            VectorOps.dot4Bf16(q, q0, q1, q2, q3, keys[l], at, hd, out, lanes);
        } else {
            VectorOps.dot4(q, q0, q1, q2, q3, keys[l], at, hd, out, lanes);
        }
    }

    /** {@link VectorOps#axpy}: {@code y[yo..] += alpha ·} the value at byte {@code at} of layer {@code l}. */
    void addValue(int l, float alpha, long at, float[] y, int yo, int hd) {
        if (bf16) {
            VectorOps.axpyBf16(alpha, values[l], at, y, yo, hd);
        } else {
            VectorOps.axpy(alpha, values[l], at, y, yo, hd);
        }
    }

    /** {@link VectorOps#weightedSum} of the {@code count} values from byte {@code at} of layer {@code l}. */
    void weightedValues(int l, float[] p, float inv, int count, long at, int hd, float[] y, int yo) {
        if (bf16) {
            VectorOps.weightedSumBf16(p, inv, count, values[l], at, rowBytes, hd, y, yo);
        } else {
            VectorOps.weightedSum(p, inv, count, values[l], at, rowBytes, hd, y, yo);
        }
    }

    /** {@link VectorOps#weightedSum4} of the {@code count} values from byte {@code at} of layer {@code l}. */
    void weightedValues4(int l, float[][] p, float[] inv, int count, long at, int hd, float[] y, int y0, int y1, int y2,
            int y3) {
        if (bf16) {
            VectorOps.weightedSum4Bf16(p[0], p[1], p[2], p[3], inv, count, values[l], at, rowBytes, hd, y, y0, y1, y2, y3);
        } else {
            VectorOps.weightedSum4(p[0], p[1], p[2], p[3], inv, count, values[l], at, rowBytes, hd, y, y0, y1, y2, y3);
        }
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    void advance(int n) {
        length += n;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }
}
