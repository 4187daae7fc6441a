package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Kernel parameters in the form cuLaunchKernel takes: an array of pointers, one per parameter,
 * each to the parameter's value. The values are typed by what the kernel declares, so callers
 * say it: {@link #i} for int, {@link #l} for long long and device pointers, {@link #f} for float.
 * The driver copies the values at launch (and at graph capture), so the arena may close after.
 */
final class KernelArgs {
    private static final int MAX = 24;
    private final MemorySegment values;
    private final MemorySegment pointers;
    private int count;

    KernelArgs(Arena arena) {
        values = arena.allocate(8L * MAX, 8);
        pointers = arena.allocate(ADDRESS, MAX);
    }

    private MemorySegment next() {
        if (count == MAX) {
            throw new IllegalStateException("more than " + MAX + " kernel parameters");
        }
        MemorySegment slot = values.asSlice(8L * count, 8);
        pointers.setAtIndex(ADDRESS, count, slot);
        count++;
        return slot;
    }

    KernelArgs i(int v) {
        next().set(JAVA_INT, 0, v);
        return this;
    }

    KernelArgs l(long v) {
        next().set(JAVA_LONG, 0, v);
        return this;
    }

    KernelArgs f(float v) {
        next().set(JAVA_FLOAT, 0, v);
        return this;
    }

    int count() {
        return count;
    }

    MemorySegment pointers() {
        return pointers;
    }
}
