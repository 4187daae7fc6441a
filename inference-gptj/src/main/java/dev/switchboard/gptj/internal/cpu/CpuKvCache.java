package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.internal.backend.KvCache;

/** Keys (after rotary) and values of one sequence, fp32 on the heap, {@code [layer][position * n_embd + dim]}. */
final class CpuKvCache implements KvCache {

    final float[][] keys;   // [n_layer][capacity * d]
    final float[][] values; // [n_layer][capacity * d]
    private final int capacity;
    private int length;
    private boolean closed;

    CpuKvCache(int layers, int d, int capacity) {
        if ((long) capacity * d > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("KV cache of " + capacity + " positions × " + d + " is too large");
        }
        this.capacity = capacity;
        this.keys = new float[layers][capacity * d];
        this.values = new float[layers][capacity * d];
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
        // Heap memory: dropping the arrays is enough; the flag catches use after close.
        closed = true;
    }
}
