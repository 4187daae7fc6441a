package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;

/**
 * Converts weight elements between the checkpoint's storage type and what the GPU keeps:
 * fp16 for matrices (round to nearest even, as torch's {@code .half()}) and fp32 for vectors.
 * bf16 widens to fp32 exactly first.
 */
final class HalfConversion {
    private HalfConversion() {}

    static float read(MemorySegment src, HostTensor.DType type, long index) {
        return switch (type) {
            case F32 -> src.getAtIndex(JAVA_FLOAT_UNALIGNED, index);
            case F16 -> Float.float16ToFloat(src.getAtIndex(JAVA_SHORT_UNALIGNED, index));
            case BF16 -> Float.intBitsToFloat((src.getAtIndex(JAVA_SHORT_UNALIGNED, index) & 0xffff) << 16);
        };
    }

    /** dst[i] = fp16(src[from + i]) for i < count; dst is fp16 (2 bytes per element). */
    static void toF16(MemorySegment src, HostTensor.DType type, long from, long count, MemorySegment dst) {
        if (type == HostTensor.DType.F16) {
            MemorySegment.copy(src, 2 * from, dst, 0, 2 * count);
            return;
        }
        for (long i = 0; i < count; i++) {
            dst.setAtIndex(JAVA_SHORT_UNALIGNED, i, Float.floatToFloat16(read(src, type, from + i)));
        }
    }

    /** dst[i] = fp32(src[from + i]) for i < count; dst is fp32. */
    static void toF32(MemorySegment src, HostTensor.DType type, long from, long count, MemorySegment dst) {
        for (long i = 0; i < count; i++) {
            dst.setAtIndex(JAVA_FLOAT_UNALIGNED, i, read(src, type, from + i));
        }
    }
}
