package dev.switchboard.gptj.internal.cuda;

import dev.switchboard.gptj.internal.backend.KvCache;

/**
 * One sequence's place in the GPU KV cache: a slot of the preallocated cache and how many positions
 * of it are filled. Closing gives the slot back to its backend.
 */
final class CudaKvCache implements KvCache {
    private final CudaBackend owner;
    final int slot;
    private final int capacity;
    private int length;
    private boolean closed;

    CudaKvCache(CudaBackend owner, int slot, int capacity) {
        this.owner = owner;
        this.slot = slot;
        this.capacity = capacity;
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

    CudaBackend owner() {
        return owner;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            owner.release(slot);
        }
    }
}
