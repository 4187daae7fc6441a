package dev.switchboard.gptj.internal.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Input rows quantized to int8 for {@link Q8Matrix}'s integer kernels: per block of
 * {@value Q8Matrix#BLOCK} values one fp32 scale ({@code max|x| / 127}) and the values
 * {@code round(x · 127 / max|x|)} in [-127, 127] (half away from zero), held widened to 16 bits so the
 * kernels load them as they multiply. The same blocks as the weights' scales, so a block's 64 products
 * are an exact integer sum times one scale per side (llama.cpp's q8_0 × q8_0 scheme, with 64-wide blocks).
 *
 * <p>One definition, whichever code computes it: {@link #quantize} (vectorized for whole 16-lane
 * vectors, scalar for the rest) gives the values {@link #quantizeScalar} gives, to the bit; both take the
 * block maximum exactly (max is order-free) and do the same fp32 operations per value.
 * A holder is reused: {@link #quantize} grows it as needed. Not thread-safe (one per compute thread).
 */
public final class Q8Activations {

    private static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Short> S16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;
    private static final boolean VECTOR = Simd.L == 16;

    short[] q = new short[0];   // [rows, cols]
    private float[] qf = new float[0]; // as long as q: the values as floats, each half block's even columns, then its odd ones (see pairedFloats)
    private boolean pairedReady;
    float[] scales = new float[0]; // [rows, blocks]
    int rows;
    int cols;
    int blocks;

    /** Quantizes rows {@code [row0, row0 + n)} of {@code x} ({@code cols} per row) into this holder (its rows 0..n-1). */
    public void quantize(float[] x, int row0, int n, int cols) {
        quantize(x, row0, n, cols, VECTOR);
    }

    /** {@link #quantize} one value at a time: the definition the vector code follows. */
    public void quantizeScalar(float[] x, int row0, int n, int cols) {
        quantize(x, row0, n, cols, false);
    }

    /** {@code vector}: whole 16-lane vectors with the Vector API, the rest (all, if false) one value at a time. */
    private void quantize(float[] x, int row0, int n, int cols, boolean vector) {
        prepare(n, cols);
        for (int i = 0; i < n; i++) {
            int xo = (row0 + i) * cols;
            int qo = i * cols;
            for (int b = 0; b < blocks; b++) {
                int c0 = b * Q8Matrix.BLOCK;
                int c1 = Math.min(cols, c0 + Q8Matrix.BLOCK);
                float max = 0;
                int c = c0;
                if (vector) {
                    FloatVector m = FloatVector.zero(F16);
                    for (; c + 16 <= c1; c += 16) {
                        m = m.max(FloatVector.fromArray(F16, x, xo + c).lanewise(VectorOperators.ABS));
                    }
                    max = m.reduceLanes(VectorOperators.MAX);
                }
                for (; c < c1; c++) {
                    max = Math.max(max, Math.abs(x[xo + c]));
                }
                float inv = max == 0 ? 0 : 127f / max;
                scales[i * blocks + b] = max / 127f;
                c = c0;
                if (vector) {
                    for (; c + 16 <= c1; c += 16) {
                        FloatVector v = FloatVector.fromArray(F16, x, xo + c).mul(inv);
                        // v ± 0.5 (v's sign) truncated: half away from zero, as round() (the sum is exactly
                        // -(|v| + 0.5) for negative v, rounding being symmetric)
                        FloatVector half = v.reinterpretAsInts().and(0x80000000).or(0x3f000000).reinterpretAsFloats();
                        IntVector m = (IntVector) v.add(half).convert(VectorOperators.F2I, 0);
                        ((ShortVector) m.convertShape(VectorOperators.I2S, S16, 0)).intoArray(q, qo + c);
                    }
                }
                for (; c < c1; c++) {
                    q[qo + c] = round(x[xo + c] * inv);
                }
            }
        }
    }

    /** Half away from zero; NaN (from a NaN or infinite input) becomes 0, as Java's cast (and the vector conversion) makes it. */
    private static short round(float v) {
        int m = (int) (Math.abs(v) + 0.5f);
        return (short) (v < 0 ? -m : m);
    }

    private void prepare(int n, int cols) {
        this.rows = n;
        this.cols = cols;
        this.blocks = (cols + Q8Matrix.BLOCK - 1) / Q8Matrix.BLOCK;
        this.pairedReady = false;
        if (q.length < n * cols) {
            q = new short[n * cols];
            qf = new float[n * cols];
        }
        if (scales.length < n * blocks) {
            scales = new float[n * blocks];
        }
    }

    /** Quantized value of row {@code i}, column {@code c}. */
    public int value(int i, int c) {
        return q[i * cols + c];
    }

    /**
     * The values as floats, laid out as {@link Q8Matrix#tileQuantized4x4} widens weights: in each half
     * block of 32 columns, the 16 even columns, then the 16 odd ones ({@code [i·cols + 64b + 32h + 16s + j]}
     * holds column {@code 64b + 32h + 2j + s}). Made once per {@link #quantize}, when first asked for;
     * whole blocks only (cols a multiple of 64).
     */
    float[] pairedFloats() {
        if (pairedReady) {
            return qf;
        }
        for (int i = 0; i < rows; i++) {
            int o = i * cols;
            int c = 0;
            if (VECTOR) {
                for (; c + 32 <= cols; c += 32) {
                    IntVector v = ShortVector.fromArray(S32, q, o + c).reinterpretAsInts();
                    ((FloatVector) v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                            .convert(VectorOperators.I2F, 0)).intoArray(qf, o + c);
                    ((FloatVector) v.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0)).intoArray(qf, o + c + 16);
                }
            }
            for (; c + 32 <= cols; c += 32) {
                for (int j = 0; j < 16; j++) {
                    qf[o + c + j] = q[o + c + 2 * j];
                    qf[o + c + 16 + j] = q[o + c + 2 * j + 1];
                }
            }
        }
        pairedReady = true;
        return qf;
    }

    /** Scale of row {@code i}'s block {@code b}. */
    public float scale(int i, int b) {
        return scales[i * blocks + b];
    }
}
