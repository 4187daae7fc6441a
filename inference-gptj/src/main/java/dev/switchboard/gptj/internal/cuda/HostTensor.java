package dev.switchboard.gptj.internal.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A weight tensor as it sits in host memory (typically a slice of a memory-mapped safetensors
 * file), little-endian, row-major.
 */
record HostTensor(String name, DType dtype, long[] shape, MemorySegment data) {
    enum DType {
        F32(4), F16(2), BF16(2);

        final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }
    }

    HostTensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (data.byteSize() != n * dtype.bytes) {
            throw new IllegalArgumentException(name + ": " + data.byteSize() + " bytes for shape "
                    + Arrays.toString(shape) + " of " + dtype);
        }
    }

    long elements() {
        return data.byteSize() / dtype.bytes;
    }

    /** @throws IllegalArgumentException naming the tensor when its shape is not {@code expected} */
    HostTensor expectShape(long... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new IllegalArgumentException("tensor " + name + " has shape " + Arrays.toString(shape)
                    + ", expected " + Arrays.toString(expected));
        }
        return this;
    }
}
