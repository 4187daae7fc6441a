package dev.switchboard.gptj.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.GptjConfig.Activation;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import jdk.incubator.vector.ShortVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every vector kernel against a plain scalar reference, on sizes with and without vector tails. */
class KernelTest {

    private static final Arena ARENA = Arena.ofShared();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @AfterAll
    static void release() {
        ARENA.close();
    }

    enum Format { F32, F16, BF16, Q8 }

    static Stream<Arguments> shapes() {
        // rows, cols, input rows: cols below, at and between multiples of the vector length and the int8 block
        int[][] s = {{1, 1, 1}, {3, 7, 2}, {5, 16, 4}, {17, 33, 5}, {8, 64, 9}, {9, 100, 3}, {33, 128, 8}, {7, 200, 6}, {64, 513, 4},
            {13, 700, 37}, {20, 1030, 70}, {70, 1088, 19}}; // the last three: long rows and many input rows (several tiles, blocks and column chunks each way)
        Stream.Builder<Arguments> b = Stream.builder();
        for (Format f : Format.values()) {
            for (int[] x : s) {
                b.add(Arguments.of(f, x[0], x[1], x[2]));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} [{1}x{2}] n={3}")
    @MethodSource("shapes")
    void multiplyMatchesScalarReference(Format format, int rows, int cols, int n) {
        SplittableRandom rnd = new SplittableRandom(rows * 31L + cols);
        WeightMatrix w = matrix(format, rows, cols, rnd);
        float[] x = randomFloats(n * cols, rnd);
        float[] bias = randomFloats(rows, rnd);
        float[] y = new float[n * rows];
        multiply(w, x, n, y, bias, 0, rows);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                double ref = bias[r];
                double mag = Math.abs(bias[r]);
                for (int c = 0; c < cols; c++) {
                    ref += (double) w.get(r, c) * x[i * cols + c];
                    mag += Math.abs((double) w.get(r, c) * x[i * cols + c]);
                }
                assertThat((double) y[i * rows + r]).as("row %d of input %d", r, i).isCloseTo(ref,
                        org.assertj.core.data.Offset.offset(1e-5 * mag + 1e-6));
            }
        }
    }

    @ParameterizedTest(name = "{0} [{1}x{2}] n={3}")
    @MethodSource("shapes")
    void resultsDoNotDependOnBatchingOrRowSplits(Format format, int rows, int cols, int n) {
        SplittableRandom rnd = new SplittableRandom(rows * 7L + cols);
        WeightMatrix w = matrix(format, rows, cols, rnd);
        float[] x = randomFloats(n * cols, rnd);
        float[] all = new float[n * rows];
        multiply(w, x, n, all, null, 0, rows);
        for (int i = 0; i < n; i++) {
            float[] one = new float[rows];
            float[] xi = java.util.Arrays.copyOfRange(x, i * cols, (i + 1) * cols);
            int split = rows / 2;
            multiply(w, xi, 1, one, null, 0, split);
            multiply(w, xi, 1, one, null, split, rows);
            for (int r = 0; r < rows; r++) {
                assertThat(Float.floatToRawIntBits(one[r])).as("row %d input %d bit-identical", r, i)
                        .isEqualTo(Float.floatToRawIntBits(all[i * rows + r]));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void readRowsWidenExactlyAsDotSeesTheWeights(Format format) {
        // int8 scales whole blocks in dot, so only its values (not its sums) are comparable
        boolean elementwise = format != Format.Q8;
        SplittableRandom rnd = new SplittableRandom(9);
        WeightMatrix w = matrix(format, 6, 83, rnd);
        float[] block = new float[4 * 83];
        w.readRows(1, 5, block);
        float[] x = randomFloats(83, rnd);
        float[] lanes = new float[Simd.L];
        for (int r = 1; r < 5; r++) {
            for (int c = 0; c < 83; c++) {
                assertThat(block[(r - 1) * 83 + c]).isEqualTo(w.get(r, c));
            }
            if (elementwise) {
                assertThat(Float.floatToRawIntBits(Matmul.dot(block, (r - 1) * 83, x, 0, 83, lanes)))
                        .isEqualTo(Float.floatToRawIntBits(w.dot(r, x, 0, lanes)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void fourRowsAtOnceEqualOneRowAtATimeToTheBit(Format format) {
        for (int cols : new int[] {5, 16, 64, 100, 128, 131, 256}) {
            for (int stride : new int[] {1, 3}) {
                SplittableRandom rnd = new SplittableRandom(cols);
                WeightMatrix w = matrix(format, 2 + 3 * stride + 1, cols, rnd);
                float[] x = randomFloats(cols + 3, rnd);
                float[] four = new float[4];
                float[] lanes = new float[Simd.L];
                w.dot4(2, stride, x, 3, four, lanes);
                for (int k = 0; k < 4; k++) {
                    int r = 2 + k * stride;
                    assertThat(Float.floatToRawIntBits(four[k])).as("cols %d stride %d row %d", cols, stride, r)
                            .isEqualTo(Float.floatToRawIntBits(w.dot(r, x, 3, lanes)));
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void int8TwoStreamsEqualOneRowAtATimeToTheBit() {
        for (int cols : new int[] {64, 100, 256, 2048}) {
            SplittableRandom rnd = new SplittableRandom(cols);
            Q8Matrix w = (Q8Matrix) matrix(Format.Q8, 9, cols, rnd);
            float[] x = randomFloats(cols + 5, rnd);
            float[] two = new float[2];
            float[] lanes = new float[Simd.L];
            w.dot2(1, 7, x, 5, two, lanes);
            assertThat(Float.floatToRawIntBits(two[0])).isEqualTo(Float.floatToRawIntBits(w.dot(1, x, 5, lanes)));
            assertThat(Float.floatToRawIntBits(two[1])).isEqualTo(Float.floatToRawIntBits(w.dot(7, x, 5, lanes)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void readRowReturnsWhatGetReturns(Format format) {
        SplittableRandom rnd = new SplittableRandom(3);
        WeightMatrix w = matrix(format, 4, 70, rnd);
        float[] row = new float[70];
        w.readRow(2, row, 0);
        for (int c = 0; c < 70; c++) {
            assertThat(row[c]).isEqualTo(w.get(2, c));
        }
    }

    static Stream<Format> formats() {
        return Stream.of(Format.values());
    }

    @Test
    void halfToFloatIsExactForEveryHalfValue() {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) i;
        }
        float[] lanes = new float[Simd.L];
        for (int i = 0; i < all.length; i += Simd.L) {
            Simd.halfToFloat(ShortVector.fromArray(Simd.S, all, i)).intoArray(lanes, 0);
            for (int l = 0; l < Simd.L; l++) {
                float expected = Float.float16ToFloat(all[i + l]);
                if (Float.isNaN(expected)) {
                    assertThat(lanes[l]).isNaN();
                } else {
                    assertThat(Float.floatToRawIntBits(lanes[l])).as("half 0x%04x", i + l)
                            .isEqualTo(Float.floatToRawIntBits(expected));
                }
            }
        }
    }

    @Test
    void bf16ToFloatKeepsTheHighBits() {
        short[] v = new short[Simd.L];
        for (int i = 0; i < v.length; i++) {
            v[i] = (short) (0x3f80 + i * 0x111);
        }
        float[] out = new float[Simd.L];
        Simd.bf16ToFloat(ShortVector.fromArray(Simd.S, v, 0)).intoArray(out, 0);
        for (int i = 0; i < v.length; i++) {
            assertThat(out[i]).isEqualTo(Float.intBitsToFloat(v[i] << 16));
        }
    }

    @Test
    void int8QuantizationErrorIsAtMostHalfAStepOfItsBlock() {
        SplittableRandom rnd = new SplittableRandom(11);
        WeightMatrix src = matrix(Format.F32, 3, 150, rnd);
        Q8Matrix q = Q8Matrix.allocate(3, 150, ARENA);
        q.quantizeRows(src, 0, 3);
        for (int r = 0; r < 3; r++) {
            for (int block = 0; block * Q8Matrix.BLOCK < 150; block++) {
                int c0 = block * Q8Matrix.BLOCK;
                int c1 = Math.min(150, c0 + Q8Matrix.BLOCK);
                float max = 0;
                for (int c = c0; c < c1; c++) {
                    max = Math.max(max, Math.abs(src.get(r, c)));
                }
                for (int c = c0; c < c1; c++) {
                    assertThat(Math.abs(q.get(r, c) - src.get(r, c))).isLessThanOrEqualTo(max / 127 / 2 * 1.0001f);
                }
            }
        }
        assertThat(q.bytesPerWeight()).isLessThan(1.07);
    }

    @Test
    void attentionFourRowKernelsEqualTheirOneRowTwinsToTheBit() {
        SplittableRandom rnd = new SplittableRandom(8);
        float[] lanes = new float[Simd.L];
        for (int n : new int[] {4 * Simd.L, 8 * Simd.L, 12 * Simd.L, 16 * Simd.L}) { // chunks of 4, 8 and 16 vectors
            int count = 9;
            int stride = n + 2 * Simd.L; // floats between consecutive positions, as d between a cache's rows
            float[] kv = randomFloats(count * stride, rnd);
            MemorySegment seg = ARENA.allocate(4L * kv.length);
            for (int i = 0; i < kv.length; i++) {
                seg.set(F32, 4L * i, kv[i]);
            }
            float[] q = randomFloats(5 * n, rnd);
            float[] four = new float[4];
            for (int t = 0; t < count; t++) {
                long off = 4L * (t * stride + Simd.L);
                VectorOps.dot4(q, 3, 3 + n, 3 + 2 * n, 3 + 3 * n, seg, off, n, four, lanes);
                for (int k = 0; k < 4; k++) {
                    assertThat(Float.floatToRawIntBits(four[k])).as("n %d t %d row %d", n, t, k)
                            .isEqualTo(Float.floatToRawIntBits(VectorOps.dot(q, 3 + k * n, seg, off, n, lanes)));
                }
            }
            float[][] p = {randomFloats(count, rnd), randomFloats(count, rnd), randomFloats(count, rnd), randomFloats(count, rnd)};
            float[] inv = randomFloats(4, rnd);
            float[] y = randomFloats(4 * n + 7, rnd); // garbage before: weightedSum4 overwrites
            VectorOps.weightedSum4(p[0], p[1], p[2], p[3], inv, count, seg, 4L * Simd.L, 4L * stride, n, y, 7, 7 + n,
                    7 + 2 * n, 7 + 3 * n);
            for (int k = 0; k < 4; k++) {
                float[] ref = new float[n];
                for (int t = 0; t < count; t++) {
                    VectorOps.axpy(p[k][t] * inv[k], seg, 4L * (t * stride + Simd.L), ref, 0, n);
                }
                for (int j = 0; j < n; j++) {
                    assertThat(Float.floatToRawIntBits(y[7 + k * n + j])).as("n %d row %d element %d", n, k, j)
                            .isEqualTo(Float.floatToRawIntBits(ref[j]));
                }
                float[] one = randomFloats(n + 2, rnd);
                VectorOps.weightedSum(p[k], inv[k], count, seg, 4L * Simd.L, 4L * stride, n, one, 2);
                for (int j = 0; j < n; j++) {
                    assertThat(Float.floatToRawIntBits(one[2 + j])).as("one row: n %d row %d element %d", n, k, j)
                            .isEqualTo(Float.floatToRawIntBits(ref[j]));
                }
            }
        }
    }

    @Test
    void softmaxExpIsWithinTwoUlpOfMathExpAndTheVectorLanesMatchTheScalarTwin() {
        SplittableRandom rnd = new SplittableRandom(31);
        int worst = 0;
        for (int i = 0; i < 1_000_000; i++) {
            float x = i < 1000 ? -i * 0.0873f : (float) (-rnd.nextDouble() * (i % 3 == 0 ? 1 : 87.3));
            float got = VectorOps.expNonPositive(x);
            float want = (float) Math.exp(x);
            int ulps = Math.abs(Float.floatToIntBits(got) - Float.floatToIntBits(want));
            worst = Math.max(worst, ulps);
            assertThat(ulps).as("exp(%s) = %s, Math.exp %s", x, got, want).isLessThanOrEqualTo(2);
        }
        System.out.printf("softmax exp: at most %d ulp from Math.exp on [-87.3, 0]%n", worst);
        assertThat(VectorOps.expNonPositive(0f)).isEqualTo(1f);
        assertThat(VectorOps.expNonPositive(-100f)).isZero();
        assertThat(VectorOps.expNonPositive(Float.NEGATIVE_INFINITY)).isZero();
        assertThat(Float.isNaN(VectorOps.expNonPositive(Float.NaN))).isTrue();

        for (int count : new int[] {1, 5, Simd.L, Simd.L + 3, 100, 1000}) {
            float[] sc = new float[count + 2];
            for (int t = 0; t < sc.length; t++) {
                sc[t] = (float) (rnd.nextGaussian() * 30);
            }
            sc[count / 2] = -1e30f; // far below the rest: 0
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < count; t++) {
                max = Math.max(max, sc[t]);
            }
            float[] ref = sc.clone();
            double sum = 0;
            for (int t = 0; t < count; t++) {
                ref[t] = VectorOps.expNonPositive(ref[t] - max);
                sum += ref[t];
            }
            float inv = VectorOps.softmaxNumerators(sc, count, max);
            assertThat(sc).as("count %d", count).isEqualTo(ref); // every lane the scalar twin's bits; nothing past count
            assertThat(inv).isEqualTo((float) (1.0 / sum));
        }
    }

    @Test
    void vectorOpsMatchScalarReferences() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] lanes = new float[Simd.L];
        for (int n : new int[] {1, 5, 16, 31, 64, 100}) {
            float[] a = randomFloats(n + 3, rnd);
            float[] b = randomFloats(n + 2, rnd);
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += (double) a[3 + i] * b[2 + i];
            }
            assertThat((double) Matmul.dot(a, 3, b, 2, n, lanes)).isCloseTo(dot, org.assertj.core.data.Offset.offset(1e-5));

            MemorySegment seg = ARENA.allocate(4L * (n + 3));
            for (int i = 0; i < n + 3; i++) {
                seg.set(F32, 4L * i, a[i]);
            }
            assertThat((double) VectorOps.dot(b, 2, seg, 12, n, lanes)).isCloseTo(dot, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(VectorOps.dot(b, 2, seg, 12, n, lanes)).isEqualTo(Matmul.dot(a, 3, b, 2, n, lanes));

            float[] y = randomFloats(n + 1, rnd);
            float[] y0 = y.clone();
            VectorOps.axpy(0.37f, seg, 12, y, 1, n);
            for (int i = 0; i < n; i++) {
                assertThat(y[1 + i]).isCloseTo(y0[1 + i] + 0.37f * a[3 + i], org.assertj.core.data.Offset.offset(1e-6f));
            }

            float[] x = randomFloats(n, rnd);
            float[] x0 = x.clone();
            float[] p = randomFloats(n, rnd);
            float[] q = randomFloats(n, rnd);
            VectorOps.addResidual(x, p, q, 0, n);
            for (int i = 0; i < n; i++) {
                assertThat(x[i]).isEqualTo((p[i] + q[i]) + x0[i]);
            }

            float[] w = randomFloats(n, rnd);
            float[] bias = randomFloats(n, rnd);
            float[] out = new float[n];
            VectorOps.layerNorm(x, 0, out, 0, n, w, bias, 1e-5f);
            double mean = 0;
            for (float v : x) {
                mean += v / (double) n;
            }
            double var = 0;
            for (float v : x) {
                var += (v - mean) * (v - mean) / n;
            }
            for (int i = 0; i < n; i++) {
                double ref = (x[i] - mean) / Math.sqrt(var + 1e-5) * w[i] + bias[i];
                assertThat((double) out[i]).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    @Test
    void activationsFollowHfFormulas() {
        float[] x = {-3f, -1f, -0.1f, 0f, 0.5f, 2f};
        float[] g = x.clone();
        Activations.apply(Activation.GELU_NEW, g, 0, g.length);
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            double ref = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            assertThat((double) g[i]).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-7));
        }
        float[] r = x.clone();
        Activations.apply(Activation.RELU, r, 1, 4);
        assertThat(r).containsExactly(-3f, 0f, 0f, 0f, 0.5f, 2f);
        assertThat(Activations.erf(0.5)).isCloseTo(0.5204998778, org.assertj.core.data.Offset.offset(2e-7));
    }

    @Test
    void fp32TanhIsCloseToMathTanhAndTheVectorFormGivesTheSameBits() {
        double worst = 0;
        for (float v = -12f; v <= 12f; v += 1f / 4096) {
            worst = Math.max(worst, Math.abs(Activations.tanh(v) - Math.tanh(v)));
        }
        assertThat(worst).isLessThan(1e-6);
        assertThat(Activations.tanh(Float.NaN)).isNaN();
        assertThat(Activations.tanh(Float.POSITIVE_INFINITY)).isEqualTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        // gelu over a row whose length is not a multiple of the vector: vector lanes and the scalar tail agree
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        float[] row = new float[5 * Simd.L + 3];
        for (int i = 0; i < row.length; i++) {
            row[i] = (float) (rnd.nextGaussian() * 3);
        }
        float[] whole = row.clone();
        Activations.apply(Activation.GELU_NEW, whole, 0, whole.length);
        for (int i = 0; i < row.length; i++) {
            float[] one = {row[i]};
            Activations.apply(Activation.GELU_NEW, one, 0, 1); // scalar path
            assertThat(Float.floatToRawIntBits(whole[i])).as("element %d", i).isEqualTo(Float.floatToRawIntBits(one[0]));
        }
    }

    private static void multiply(WeightMatrix w, float[] x, int n, float[] y, float[] bias, int r0, int r1) {
        Matmul.multiply(w, x, n, y, bias, r0, r1, new float[Matmul.scratchSize(w.cols())], new float[Simd.L]);
    }

    static WeightMatrix matrix(Format f, int rows, int cols, SplittableRandom rnd) {
        float[] v = randomFloats(rows * cols, rnd);
        return switch (f) {
            case F32 -> {
                MemorySegment s = ARENA.allocate(4L * v.length + 1).asSlice(1); // unaligned on purpose
                for (int i = 0; i < v.length; i++) {
                    s.set(F32, 4L * i, v[i]);
                }
                yield new F32Matrix(s, rows, cols);
            }
            case F16 -> {
                MemorySegment s = ARENA.allocate(2L * v.length);
                for (int i = 0; i < v.length; i++) {
                    s.set(I16, 2L * i, Float.floatToFloat16(v[i]));
                }
                yield new F16Matrix(s, rows, cols);
            }
            case BF16 -> {
                MemorySegment s = ARENA.allocate(2L * v.length);
                for (int i = 0; i < v.length; i++) {
                    s.set(I16, 2L * i, (short) (Float.floatToRawIntBits(v[i]) >>> 16));
                }
                yield new Bf16Matrix(s, rows, cols);
            }
            case Q8 -> {
                Q8Matrix q = Q8Matrix.allocate(rows, cols, ARENA);
                q.quantizeRows(matrix(Format.F32, rows, cols, rnd), 0, rows);
                yield q;
            }
        };
    }

    static float[] randomFloats(int n, SplittableRandom rnd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
