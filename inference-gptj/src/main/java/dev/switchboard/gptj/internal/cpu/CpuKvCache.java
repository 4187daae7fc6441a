package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.KvCacheFormat;
import dev.switchboard.gptj.internal.backend.KvCache;
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

    final MemorySegment[] keys;   // [n_layer] → capacity * d elements
    final MemorySegment[] values; // [n_layer] → capacity * d elements
    /** Whether elements are bfloat16 (2 bytes) rather than fp32 (4). */
    final boolean bf16;
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
