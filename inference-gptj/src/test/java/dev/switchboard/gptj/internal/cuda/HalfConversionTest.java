package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class HalfConversionTest {
    @Test
    void f32RoundsToNearestEvenHalf() {
        try (Arena a = Arena.ofConfined()) {
            // 1 + 2^-11 is halfway between two halves (1 and 1 + 2^-10): ties to even -> 1.0
            // 1 + 3*2^-11 is halfway between 1+2^-10 and 1+2^-9: ties to even -> 1 + 2^-9
            float[] in = {1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f, 65520f, -0.0f, 1e-8f};
            MemorySegment src = a.allocate(4L * in.length);
            MemorySegment.copy(in, 0, src, JAVA_FLOAT_UNALIGNED, 0, in.length);
            MemorySegment dst = a.allocate(2L * in.length);
            HalfConversion.toF16(src, HostTensor.DType.F32, 0, in.length, dst);
            assertThat(Float.float16ToFloat(dst.getAtIndex(JAVA_SHORT_UNALIGNED, 0))).isEqualTo(1.0f);
            assertThat(Float.float16ToFloat(dst.getAtIndex(JAVA_SHORT_UNALIGNED, 1))).isEqualTo(1.0f + 0x1p-9f);
            assertThat(Float.float16ToFloat(dst.getAtIndex(JAVA_SHORT_UNALIGNED, 2))).isInfinite();
            assertThat(dst.getAtIndex(JAVA_SHORT_UNALIGNED, 3)).isEqualTo((short) 0x8000);
            assertThat(Float.float16ToFloat(dst.getAtIndex(JAVA_SHORT_UNALIGNED, 4))).isZero();
        }
    }

    @Test
    void bf16WidensExactlyThenNarrows() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocate(6);
            src.setAtIndex(JAVA_SHORT_UNALIGNED, 0, (short) 0x3F80);  // 1.0
            src.setAtIndex(JAVA_SHORT_UNALIGNED, 1, (short) 0xC040);  // -3.0
            src.setAtIndex(JAVA_SHORT_UNALIGNED, 2, (short) 0x3E20);  // 0.15625
            MemorySegment f32 = a.allocate(12);
            HalfConversion.toF32(src, HostTensor.DType.BF16, 0, 3, f32);
            assertThat(f32.getAtIndex(JAVA_FLOAT_UNALIGNED, 1)).isEqualTo(-3.0f);
            MemorySegment f16 = a.allocate(6);
            HalfConversion.toF16(src, HostTensor.DType.BF16, 1, 2, f16);
            assertThat(Float.float16ToFloat(f16.getAtIndex(JAVA_SHORT_UNALIGNED, 0))).isEqualTo(-3.0f);
            assertThat(Float.float16ToFloat(f16.getAtIndex(JAVA_SHORT_UNALIGNED, 1))).isEqualTo(0.15625f);
        }
    }

    @Test
    void f16IsCopiedBitForBitFromTheOffset() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocate(8);
            for (int i = 0; i < 4; i++) {
                src.setAtIndex(JAVA_SHORT_UNALIGNED, i, (short) (0x7C01 + i));  // NaN payloads survive
            }
            MemorySegment dst = a.allocate(4);
            HalfConversion.toF16(src, HostTensor.DType.F16, 2, 2, dst);
            assertThat(dst.getAtIndex(JAVA_SHORT_UNALIGNED, 0)).isEqualTo((short) 0x7C03);
            assertThat(dst.getAtIndex(JAVA_SHORT_UNALIGNED, 1)).isEqualTo((short) 0x7C04);
        }
    }
}
