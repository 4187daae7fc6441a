package dev.switchboard.gptj.internal.safetensors;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a mapped safetensors file. {@code data} is a read-only view of exactly the tensor's
 * bytes (little-endian, row-major), checked against the file's size before it was created.
 */
public record Tensor(String name, DType dtype, long[] shape, MemorySegment data, Path file) {

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** Element {@code i} (flat index) as fp32; F32, F16 and BF16 only. */
    public float getFloat(long i) {
        return switch (dtype) {
            case F32 -> data.get(F32, i * 4);
            case F16 -> Float.float16ToFloat(data.get(I16, i * 2));
            case BF16 -> Float.intBitsToFloat(data.get(I16, i * 2) << 16);
            case F64, I64, I32, I16, I8, U64, U32, U16, U8, BOOL, F8_E4M3, F8_E5M2 -> throw new IllegalStateException("tensor '" + name + "' has dtype " + dtype + ", not a float type");
        };
    }

    /** Copies the whole tensor to a heap array as fp32 (for vectors: biases, LayerNorm parameters). */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor '" + name + "' is too large for a heap array");
        }
        float[] out = new float[(int) n];
        if (dtype == DType.F32) {
            MemorySegment.copy(data, F32, 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = getFloat(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeString() + " in " + file.getFileName();
    }
}
