package dev.switchboard.gptj.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * int8 × int8 kernels ({@link Q8Activations}, {@link Q8Matrix#multiplyQuantized}) against plain scalar
 * references of their definitions, to the bit, and against the fp32 product, within what 8-bit
 * activations allow.
 */
class Q8IntegerKernelTest {

    private static final Arena ARENA = Arena.ofShared();

    @AfterAll
    static void release() {
        ARENA.close();
    }

    @ParameterizedTest(name = "cols={0} n={1}")
    @CsvSource({"1, 1", "15, 2", "64, 3", "100, 1", "150, 4", "4096, 2"})
    void vectorQuantizationEqualsTheScalarDefinition(int cols, int n) {
        SplittableRandom rnd = new SplittableRandom(cols);
        float[] x = KernelTest.randomFloats(n * cols + cols, rnd);
        for (int c = 0; c < Math.min(cols, Q8Matrix.BLOCK); c++) {
            x[cols + c] = 0; // an all-zero block (row 1's first): scale 0, values 0
        }
        x[0] = -x[0] * 1e6f; // an outlier only its own block feels
        Q8Activations v = new Q8Activations();
        Q8Activations s = new Q8Activations();
        v.quantize(x, 0, n, cols);
        s.quantizeScalar(x, 0, n, cols);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < cols; c++) {
                assertThat(v.value(i, c)).as("row %d col %d", i, c).isEqualTo(s.value(i, c)).isBetween(-127, 127);
                float scale = v.scale(i, c / Q8Matrix.BLOCK);
                assertThat(Math.abs(v.value(i, c) * scale - x[i * cols + c])).isLessThanOrEqualTo(scale * 0.5f * 1.0001f);
            }
            for (int b = 0; b * Q8Matrix.BLOCK < cols; b++) {
                assertThat(Float.floatToRawIntBits(v.scale(i, b))).isEqualTo(Float.floatToRawIntBits(s.scale(i, b)));
            }
        }
        if (n > 1) {
            assertThat(v.scale(1, 0)).isZero();
        }
        if (cols % Q8Matrix.BLOCK == 0) { // the tiles' float copy: per half block, even columns then odd ones
            float[] paired = v.pairedFloats();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < cols; c++) {
                    int half = c / 32 * 32;
                    int at = i * cols + half + (c % 2) * 16 + (c - half) / 2;
                    assertThat(paired[at]).as("row %d col %d", i, c).isEqualTo((float) v.value(i, c));
                }
            }
        }
    }

    @ParameterizedTest(name = "[{0}x{1}] n={2}, rows {3}..{4}")
    @CsvSource({"1, 64, 1, 0, 1", "9, 64, 3, 0, 9", "16, 128, 1, 3, 16", "33, 256, 5, 0, 33", "40, 1024, 4, 8, 39",
        "7, 4096, 2, 0, 7", "24, 512, 9, 0, 24"})
    void multiplyQuantizedEqualsItsScalarDefinitionToTheBit(int rows, int cols, int n, int r0, int r1) {
        Q8Matrix w = matrix(rows, cols, new SplittableRandom(rows * 7L + cols));
        assumeTrue(w.integerKernels(), "integer kernels need 16-lane vectors (AVX-512)");
        SplittableRandom rnd = new SplittableRandom(cols);
        int given = 2; // rows of x before the generated ones
        float[] x = KernelTest.randomFloats((given + n) * cols, rnd);
        float[] bias = KernelTest.randomFloats(rows, rnd);
        Q8Activations xa = new Q8Activations();
        xa.quantize(x, given, n, cols);
        float[] y = new float[(given + n) * rows];
        java.util.Arrays.fill(y, Float.NaN);
        w.multiplyQuantized(xa, n, y, given, bias, r0, r1, new float[Simd.L]);
        for (int i = 0; i < given + n; i++) {
            for (int r = 0; r < rows; r++) {
                float got = y[i * rows + r];
                if (i < given || r < r0 || r >= r1) {
                    assertThat(got).as("untouched (%d, %d)", i, r).isNaN();
                    continue;
                }
                float expected = reference(w, xa, r, i - given) + bias[r];
                assertThat(Float.floatToRawIntBits(got)).as("row %d, input %d", r, i).isEqualTo(Float.floatToRawIntBits(expected));
                // and close to the fp32 product of the int8 weights with the unquantized input
                double exact = bias[r];
                double mag = Math.abs(bias[r]);
                for (int c = 0; c < cols; c++) {
                    exact += (double) w.get(r, c) * x[i * cols + c];
                    mag += Math.abs((double) w.get(r, c) * x[i * cols + c]);
                }
                assertThat(Math.abs(got - exact)).as("row %d, input %d", r, i).isLessThanOrEqualTo(0.01 * mag);
            }
        }
    }

    @Test
    void foursAndSingleRowsAgreeToTheBit() {
        Q8Matrix w = matrix(13, 512, new SplittableRandom(3));
        assumeTrue(w.integerKernels(), "integer kernels need 16-lane vectors (AVX-512)");
        Q8Activations xa = new Q8Activations();
        xa.quantize(KernelTest.randomFloats(3 * 512, new SplittableRandom(4)), 0, 3, 512);
        float[] lanes = new float[Simd.L];
        float[] four = new float[4];
        for (int i = 0; i < 3; i++) {
            w.dotQuantized4(1, 3, xa, i, four, lanes);
            for (int k = 0; k < 4; k++) {
                assertThat(Float.floatToRawIntBits(four[k])).as("row %d input %d", 1 + 3 * k, i)
                        .isEqualTo(Float.floatToRawIntBits(w.dotQuantized(1 + 3 * k, xa, i, lanes)));
            }
        }
    }

    /**
     * The definition, one product at a time: per block, lane j sums (as an integer) the products of the
     * block's columns {2j, 2j+1, 32+2j, 33+2j}; per lane, in block order, acc = fma((float) sum, weight
     * scale · x scale, acc); then the lanes added pairwise as {@link Simd#sum} does (lane i + lane i+8, ...).
     */
    private static float reference(Q8Matrix w, Q8Activations xa, int r, int i) {
        int cols = w.cols();
        float[] acc = new float[16];
        for (int b = 0; b * Q8Matrix.BLOCK < cols; b++) {
            long[] sum = new long[16];
            for (int k = 0; k < Q8Matrix.BLOCK; k++) {
                int c = b * Q8Matrix.BLOCK + k;
                sum[(k % 32) / 2] += (long) w.quantValue(r, c) * xa.value(i, c);
            }
            float s = w.blockScale(r, b) * xa.scale(i, b);
            for (int j = 0; j < 16; j++) {
                acc[j] = Math.fma((float) sum[j], s, acc[j]);
            }
        }
        for (int width = 8; width >= 1; width /= 2) {
            float[] next = new float[16];
            for (int j = 0; j < 16; j++) {
                next[j] = acc[j] + acc[(j + width) % 16];
            }
            acc = next;
        }
        return acc[0];
    }

    private static Q8Matrix matrix(int rows, int cols, SplittableRandom rnd) {
        float[] v = KernelTest.randomFloats(rows * cols, rnd);
        java.lang.foreign.MemorySegment s = ARENA.allocate(4L * v.length, 4);
        java.lang.foreign.MemorySegment.copy(v, 0, s, java.lang.foreign.ValueLayout.JAVA_FLOAT, 0, v.length);
        Q8Matrix q = Q8Matrix.allocate(rows, cols, ARENA);
        q.quantizeRows(new F32Matrix(s, rows, cols), 0, rows);
        return q;
    }
}
