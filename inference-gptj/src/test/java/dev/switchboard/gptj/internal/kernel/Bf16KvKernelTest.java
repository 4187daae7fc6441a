package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.KernelTest.randomFloats;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The bfloat16 KV-cache kernels: rounding against a scalar reference that picks the nearest bfloat16 by
 * exact arithmetic, and each attention kernel against its fp32 twin run over the widened values, bit for
 * bit (so a bf16 cache changes only what is stored, never the order of the arithmetic).
 */
class Bf16KvKernelTest {

    private static final Arena ARENA = Arena.ofShared();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @AfterAll
    static void release() {
        ARENA.close();
    }

    /** The bfloat16 nearest to {@code f} (ties to the even one), found by comparing the two neighbours in double. */
    private static short nearestBf16(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7fc0;
        }
        int bits = Float.floatToRawIntBits(f);
        if (Float.isInfinite(f)) {
            return (short) (bits >>> 16);
        }
        int down = bits >>> 16; // truncation: towards zero
        int up = down + 1;      // away from zero (may reach the infinity's bits, which is right for overflow)
        double lo = Float.intBitsToFloat(down << 16);
        double hi = Float.intBitsToFloat(up << 16);
        if (Double.isInfinite(hi)) { // rounds to infinity only from half an ulp past the largest finite bfloat16
            double ulp = Math.abs(lo - Float.intBitsToFloat((down - 1) << 16));
            return Math.abs(f) - Math.abs(lo) >= ulp / 2 ? (short) up : (short) down;
        }
        double dLo = Math.abs(f - lo);
        double dHi = Math.abs(hi - f);
        if (dLo != dHi) {
            return (short) (dLo < dHi ? down : up);
        }
        return (short) ((down & 1) == 0 ? down : up);
    }

    @Test
    void roundingIsToNearestEven() {
        assertThat(Simd.toBf16(1.0f)).isEqualTo((short) 0x3f80);
        assertThat(Simd.toBf16(Float.intBitsToFloat(0x3f808000))).as("tie below an even: down").isEqualTo((short) 0x3f80);
        assertThat(Simd.toBf16(Float.intBitsToFloat(0x3f818000))).as("tie below an odd: up").isEqualTo((short) 0x3f82);
        assertThat(Simd.toBf16(Float.intBitsToFloat(0x3f808001))).as("just past the tie: up").isEqualTo((short) 0x3f81);
        assertThat(Simd.toBf16(-2.5f)).isEqualTo((short) 0xc020);
        assertThat(Simd.toBf16(Float.MAX_VALUE)).as("overflow").isEqualTo((short) 0x7f80);
        assertThat(Simd.toBf16(Float.NEGATIVE_INFINITY)).isEqualTo((short) 0xff80);
        assertThat(Simd.toBf16(Float.MIN_VALUE)).as("smallest subnormal").isEqualTo((short) 0);
        short nan = Simd.toBf16(Float.intBitsToFloat(0x7f800001)); // a NaN whose payload rounding would carry to infinity
        assertThat(Float.isNaN(Simd.bf16ToFloat(nan))).isTrue();
        assertThat(Float.isNaN(Simd.bf16ToFloat(Simd.toBf16(Float.intBitsToFloat(0xffffffff))))).isTrue();

        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            float f = i % 2 == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-6, 7)));
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(Simd.bf16ToFloat(Simd.toBf16(f)))).isTrue();
                continue;
            }
            assertThat(Simd.toBf16(f)).as("%s (bits %08x)", f, Float.floatToRawIntBits(f)).isEqualTo(nearestBf16(f));
        }
    }

    @Test
    void vectorStoreRoundsEveryElementAsTheScalarDoes() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int n : new int[] {1, 3, Simd.L, Simd.L + 5, 4 * Simd.L, 100, 256}) {
            float[] src = new float[n + 2];
            for (int i = 0; i < src.length; i++) {
                src[i] = switch (i % 7) {
                    case 0 -> Float.intBitsToFloat(rnd.nextInt());                           // anything, NaN and infinities included
                    case 1 -> Float.intBitsToFloat((rnd.nextInt() & 0xffff0000) | 0x8000);  // an exact tie
                    case 2 -> Float.intBitsToFloat(0x7f800000 | rnd.nextInt(1, 0x800000));   // NaN
                    default -> (float) rnd.nextGaussian();
                };
            }
            MemorySegment seg = ARENA.allocate(2L * (n + 8));
            VectorOps.storeBf16(src, 2, seg, 6, n);
            for (int i = 0; i < n; i++) {
                short got = seg.get(I16, 6 + 2L * i);
                short want = Simd.toBf16(src[2 + i]);
                assertThat(got).as("n %d element %d: %s", n, i, src[2 + i]).isEqualTo(want);
            }
            assertThat(seg.get(I16, 4)).as("nothing written before").isZero();
            assertThat(seg.get(I16, 6 + 2L * n)).as("nothing written after").isZero();
        }
    }

    @Test
    void attentionKernelsComputeExactlyWhatTheirFp32TwinsComputeOnTheWidenedValues() {
        SplittableRandom rnd = new SplittableRandom(13);
        float[] lanes = new float[Simd.L];
        for (int n : new int[] {4 * Simd.L, 8 * Simd.L, 12 * Simd.L, 16 * Simd.L, 5, Simd.L + 3}) {
            boolean whole = n % (4 * Simd.L) == 0; // dot4 and the weighted sums take whole vector groups
            int count = 11;
            int stride = n + 2 * Simd.L; // elements between consecutive positions
            float[] kv = randomFloats(count * stride + Simd.L, rnd);
            MemorySegment half = ARENA.allocate(2L * kv.length);
            VectorOps.storeBf16(kv, 0, half, 0, kv.length);
            MemorySegment wide = ARENA.allocate(4L * kv.length); // the same values widened back to fp32
            for (int i = 0; i < kv.length; i++) {
                wide.set(F32, 4L * i, Simd.bf16ToFloat(half.get(I16, 2L * i)));
            }
            float[] q = randomFloats(5 * n, rnd);
            for (int t = 0; t < count; t++) {
                long e = (long) t * stride + Simd.L; // element offset of position t
                assertThat(bits(VectorOps.dotBf16(q, 3, half, 2 * e, n, lanes))).as("dot n %d t %d", n, t)
                        .isEqualTo(bits(VectorOps.dot(q, 3, wide, 4 * e, n, lanes)));
                float[] y = randomFloats(n + 1, rnd);
                float[] ref = y.clone();
                VectorOps.axpyBf16(0.3f, half, 2 * e, y, 1, n);
                VectorOps.axpy(0.3f, wide, 4 * e, ref, 1, n);
                assertThat(y).as("axpy n %d t %d", n, t).isEqualTo(ref);
                if (whole) {
                    float[] four = new float[4];
                    float[] fourRef = new float[4];
                    VectorOps.dot4Bf16(q, 3, 3 + n, 3 + 2 * n, 3 + 3 * n, half, 2 * e, n, four, lanes);
                    VectorOps.dot4(q, 3, 3 + n, 3 + 2 * n, 3 + 3 * n, wide, 4 * e, n, fourRef, lanes);
                    assertThat(four).as("dot4 n %d t %d", n, t).isEqualTo(fourRef);
                }
            }
            if (!whole) {
                continue;
            }
            float[][] p = {randomFloats(count, rnd), randomFloats(count, rnd), randomFloats(count, rnd), randomFloats(count, rnd)};
            float[] inv = randomFloats(4, rnd);
            float[] y = randomFloats(4 * n + 7, rnd);
            float[] ref = randomFloats(4 * n + 7, rnd);
            VectorOps.weightedSum4Bf16(p[0], p[1], p[2], p[3], inv, count, half, 2L * Simd.L, 2L * stride, n, y, 7, 7 + n,
                    7 + 2 * n, 7 + 3 * n);
            VectorOps.weightedSum4(p[0], p[1], p[2], p[3], inv, count, wide, 4L * Simd.L, 4L * stride, n, ref, 7, 7 + n,
                    7 + 2 * n, 7 + 3 * n);
            assertThat(java.util.Arrays.copyOfRange(y, 7, 7 + 4 * n)).as("weightedSum4 n %d", n)
                    .isEqualTo(java.util.Arrays.copyOfRange(ref, 7, 7 + 4 * n));
            for (int k = 0; k < 4; k++) {
                float[] one = new float[n + 2];
                float[] oneRef = new float[n + 2];
                VectorOps.weightedSumBf16(p[k], inv[k], count, half, 2L * Simd.L, 2L * stride, n, one, 2);
                VectorOps.weightedSum(p[k], inv[k], count, wide, 4L * Simd.L, 4L * stride, n, oneRef, 2);
                assertThat(one).as("weightedSum n %d row %d", n, k).isEqualTo(oneRef);
            }
        }
    }

    private static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }
}
