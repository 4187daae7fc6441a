package dev.switchboard.gptj.internal.kernel;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector shapes shared by all kernels and the conversions between element types. The float shape is
 * the machine's preferred one (16 lanes with AVX-512, 8 with AVX2); the narrower types use the shapes
 * that hold the same number of lanes, so one load of weights converts to exactly one float vector.
 *
 * <p>Determinism: kernels never use {@code reduceLanes} (whose order may differ between interpreted and
 * compiled code); {@link #sum} adds lanes in a fixed order. Every row is therefore computed bit-for-bit
 * the same however rows are batched or split across threads.
 */
public final class Simd {

    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    public static final int L = F.length();
    public static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    public static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    /**
     * Bytes: the shape with {@code L} lanes, except with 4-lane (128-bit, e.g. aarch64 NEON) floats, where no
     * 32-bit shape exists: there the 64-bit one, of which a conversion uses the first {@code L} lanes, so a
     * load reads {@link #BYTE_OVERREAD} bytes past what it uses (int8 matrices are allocated with them).
     */
    public static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    /** Bytes a {@link #B} load reads beyond the {@code L} it converts (0 with 8 or more lanes). */
    public static final int BYTE_OVERREAD = B.length() - L;
    public static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Simd() {
    }

    // Shuffles moving lane i + w to lane i (constants, so the JIT turns each into one permute).
    private static final VectorShuffle<Float> FROM_8 = VectorShuffle.fromOp(F, i -> (i + 8) % L);
    private static final VectorShuffle<Float> FROM_4 = VectorShuffle.fromOp(F, i -> (i + 4) % L);
    private static final VectorShuffle<Float> FROM_2 = VectorShuffle.fromOp(F, i -> (i + 2) % L);
    private static final VectorShuffle<Float> FROM_1 = VectorShuffle.fromOp(F, i -> (i + 1) % L);

    /**
     * Lanes of {@code v} added in a fixed order: pairwise halves ({@code v[i] + v[i + L/2]}, then
     * {@code + L/4} ...), lane 0 last. Lane-wise adds and permutes are exact, so interpreted and
     * compiled code agree to the bit. {@code lanes}: unused scratch, kept so callers need not change.
     */
    public static float sum(FloatVector v, float[] lanes) {
        FloatVector s = v;
        if (L >= 16) {
            s = s.add(s.rearrange(FROM_8));
        }
        if (L >= 8) {
            s = s.add(s.rearrange(FROM_4));
        }
        s = s.add(s.rearrange(FROM_2));
        s = s.add(s.rearrange(FROM_1));
        return s.lane(0);
    }

    /** IEEE half precision → fp32 for every lane, exact (subnormals, infinities and NaN included). */
    public static FloatVector halfToFloat(ShortVector h) {
        IntVector v = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        IntVector exponentMantissa = v.and(0x7fff).lanewise(VectorOperators.LSHL, 13);
        IntVector sign = v.and(0x8000).lanewise(VectorOperators.LSHL, 16);
        // Scaling by 2^112 re-biases the exponent (15 → 127) and normalises subnormals exactly.
        IntVector finite = exponentMantissa.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        IntVector special = exponentMantissa.or(0x7f800000); // inf / NaN keep their mantissa
        IntVector bits = finite.blend(special, v.and(0x7c00).compare(VectorOperators.EQ, 0x7c00));
        return bits.or(sign).reinterpretAsFloats();
    }

    /** bfloat16 → fp32 for every lane: the 16 bits become the high half of the float. */
    public static FloatVector bf16ToFloat(ShortVector h) {
        IntVector v = (IntVector) h.convertShape(VectorOperators.S2I, I, 0);
        return v.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** Signed bytes → fp32 (the first {@code L} lanes of {@code b}). */
    public static FloatVector bytesToFloat(ByteVector b) {
        return (FloatVector) b.convertShape(VectorOperators.B2F, F, 0);
    }

    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /**
     * fp32 → bfloat16 as torch's {@code .to(torch.bfloat16)} rounds it: to nearest, ties to even; overflow
     * rounds to infinity; a NaN stays a (quiet) NaN of the same sign.
     */
    public static short toBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
