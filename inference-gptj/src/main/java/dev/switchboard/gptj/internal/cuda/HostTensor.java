package dev.switchboard.gptj.internal.cuda;

import dev.switchboard.gptj.internal.safetensors.Tensor;
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

    /** A mapped checkpoint tensor (F32, F16 or BF16: the binder admits no other weight type). */
    static HostTensor of(Tensor t) {
        DType type = switch (t.dtype()) {
            case F32 -> DType.F32;
            case F16 -> DType.F16;
            case BF16 -> DType.BF16;
            default -> throw new IllegalArgumentException("tensor " + t.name() + " has dtype " + t.dtype()
                    + "; the CUDA backend reads F32, F16 and BF16");
        };
        return new HostTensor(t.name(), type, t.shape(), t.data());
    }

    long elements() {
        return data.byteSize() / dtype.bytes;
    }
}
