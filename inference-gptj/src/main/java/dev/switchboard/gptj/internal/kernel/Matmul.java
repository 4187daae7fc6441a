package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * {@code y = x·Wᵀ (+ bias)} for any {@link WeightMatrix}. Few input rows (decode of one or two
 * sequences): each output is one {@link WeightMatrix#dot} straight from the stored weights, so the
 * weights stream through once and memory bandwidth is the limit. Four or more rows (prefill, batched
 * decode): a block of weight rows is widened to fp32 in a scratch buffer that stays in cache, and a
 * 4 × 4 register tile (4 weight rows × 4 input rows, 16 accumulators) computes 16 outputs per pass,
 * two FMAs per load: arithmetic is then the limit.
 *
 * <p>The canonical order of every output, on both paths: one vector accumulator, fused multiply-adds
 * over the full vectors of the row in order, lanes summed by {@link Simd#sum}, then the remaining
 * elements added one by one; then the bias. So results are bit-identical however rows are batched,
 * tiled or split between threads.
 */
public final class Matmul {

    /** Scratch floats per weight row block (128 KiB). */
    private static final int SCRATCH_FLOATS = 32 * 1024;

    private Matmul() {
    }

    /** Weight rows widened at a time: a multiple of 4 whose fp32 copy fits the scratch budget. */
    static int blockRows(int cols) {
        return Math.max(4, (SCRATCH_FLOATS / cols) & ~3);
    }

    /** Length of the scratch buffer {@link #multiply} needs for a matrix of {@code cols} columns. */
    public static int scratchSize(int cols) {
        return blockRows(cols) * cols;
    }

    /**
     * Output features {@code [r0, r1)} of {@code n} input rows: {@code y[i*rows + r] = W[r]·x[i] + bias[r]}.
     * {@code scratch} (length ≥ {@link #scratchSize}) and {@code lanes} (length ≥ L) belong to the calling thread.
     */
    public static void multiply(WeightMatrix w, float[] x, int n, float[] y, float[] bias, int r0, int r1,
            float[] scratch, float[] lanes) {
        if (w instanceof Q8Matrix q8) {
            q8.multiply(x, n, y, bias, r0, r1, lanes); // block-scaled order: its own tiles, no fp32 copy
            return;
        }
        int rows = w.rows();
        int cols = w.cols();
        if (n < 4) {
            float[] four = new float[4];
            int quarter = (r1 - r0) / 4;
            for (int i = 0; i < n; i++) {
                // four streams, one per quarter of the rows (see WeightMatrix.dot4)
                for (int j = 0; j < quarter; j++) {
                    w.dot4(r0 + j, quarter, x, i * cols, four, lanes);
                    for (int k = 0; k < 4; k++) {
                        int r = r0 + j + k * quarter;
                        y[i * rows + r] = bias == null ? four[k] : four[k] + bias[r];
                    }
                }
                for (int r = r0 + 4 * quarter; r < r1; r++) {
                    float s = w.dot(r, x, i * cols, lanes);
                    y[i * rows + r] = bias == null ? s : s + bias[r];
                }
            }
            return;
        }
        int rb = blockRows(cols);
        float[] sums = new float[16 * L]; // the tile's 16 accumulators, spilled for finish (see tile4x4)
        for (int b0 = r0; b0 < r1; b0 += rb) {
            int b1 = Math.min(r1, b0 + rb);
            w.readRows(b0, b1, scratch);
            int i = 0;
            for (; i + 4 <= n; i += 4) {
                int r = b0;
                for (; r + 4 <= b1; r += 4) {
                    tile4x4(scratch, (r - b0) * cols, x, i * cols, cols, y, rows, i, r, bias, lanes, sums);
                }
                for (; r < b1; r++) {
                    for (int j = i; j < i + 4; j++) {
                        float s = dot(scratch, (r - b0) * cols, x, j * cols, cols, lanes);
                        y[j * rows + r] = bias == null ? s : s + bias[r];
                    }
                }
            }
            for (; i < n; i++) {
                for (int r = b0; r < b1; r++) {
                    float s = dot(scratch, (r - b0) * cols, x, i * cols, cols, lanes);
                    y[i * rows + r] = bias == null ? s : s + bias[r];
                }
            }
        }
    }

    /** {@code Σ w[wo+c]·x[xo+c]} in the canonical order. */
    public static float dot(float[] w, int wo, float[] x, int xo, int cols, float[] lanes) {
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c + L <= cols; c += L) {
            acc = FloatVector.fromArray(F, w, wo + c).fma(FloatVector.fromArray(F, x, xo + c), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; c < cols; c++) {
            s += w[wo + c] * x[xo + c];
        }
        return s;
    }

    /**
     * Weight rows {@code r..r+3} (at {@code wo}, stride cols) times input rows {@code i..i+3}. The 16
     * accumulators are stored to {@code sums} (16·L floats) and {@link #finish} reloads them: C2 does not
     * inline 16 calls of {@code finish} into this method ("callee is too large"), and a vector passed to a
     * call that is not inlined is boxed — one heap vector per output, which cost ~17% of prefill's samples.
     * Reloading the same lanes gives the same sum, bit for bit.
     */
    private static void tile4x4(float[] w, int wo, float[] x, int xo, int cols, float[] y, int rows, int i, int r,
            float[] bias, float[] lanes, float[] sums) {
        int w0 = wo;
        int w1 = wo + cols;
        int w2 = w1 + cols;
        int w3 = w2 + cols;
        int x0 = xo;
        int x1 = xo + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        FloatVector a00 = FloatVector.zero(F);
        FloatVector a01 = a00;
        FloatVector a02 = a00;
        FloatVector a03 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a12 = a00;
        FloatVector a13 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a22 = a00;
        FloatVector a23 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        FloatVector a32 = a00;
        FloatVector a33 = a00;
        int c = 0;
        for (; c + L <= cols; c += L) {
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + c);
            FloatVector u = FloatVector.fromArray(F, w, w0 + c);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            a02 = u.fma(v2, a02);
            a03 = u.fma(v3, a03);
            u = FloatVector.fromArray(F, w, w1 + c);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            a12 = u.fma(v2, a12);
            a13 = u.fma(v3, a13);
            u = FloatVector.fromArray(F, w, w2 + c);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            a22 = u.fma(v2, a22);
            a23 = u.fma(v3, a23);
            u = FloatVector.fromArray(F, w, w3 + c);
            a30 = u.fma(v0, a30);
            a31 = u.fma(v1, a31);
            a32 = u.fma(v2, a32);
            a33 = u.fma(v3, a33);
        }
        a00.intoArray(sums, 0 * L);
        a01.intoArray(sums, 1 * L);
        a02.intoArray(sums, 2 * L);
        a03.intoArray(sums, 3 * L);
        a10.intoArray(sums, 4 * L);
        a11.intoArray(sums, 5 * L);
        a12.intoArray(sums, 6 * L);
        a13.intoArray(sums, 7 * L);
        a20.intoArray(sums, 8 * L);
        a21.intoArray(sums, 9 * L);
        a22.intoArray(sums, 10 * L);
        a23.intoArray(sums, 11 * L);
        a30.intoArray(sums, 12 * L);
        a31.intoArray(sums, 13 * L);
        a32.intoArray(sums, 14 * L);
        a33.intoArray(sums, 15 * L);
        finish(y, rows, i + 0, r + 0, bias, w, w0, x, x0, c, cols, lanes, sums, 0);
        finish(y, rows, i + 1, r + 0, bias, w, w0, x, x1, c, cols, lanes, sums, 1);
        finish(y, rows, i + 2, r + 0, bias, w, w0, x, x2, c, cols, lanes, sums, 2);
        finish(y, rows, i + 3, r + 0, bias, w, w0, x, x3, c, cols, lanes, sums, 3);
        finish(y, rows, i + 0, r + 1, bias, w, w1, x, x0, c, cols, lanes, sums, 4);
        finish(y, rows, i + 1, r + 1, bias, w, w1, x, x1, c, cols, lanes, sums, 5);
        finish(y, rows, i + 2, r + 1, bias, w, w1, x, x2, c, cols, lanes, sums, 6);
        finish(y, rows, i + 3, r + 1, bias, w, w1, x, x3, c, cols, lanes, sums, 7);
        finish(y, rows, i + 0, r + 2, bias, w, w2, x, x0, c, cols, lanes, sums, 8);
        finish(y, rows, i + 1, r + 2, bias, w, w2, x, x1, c, cols, lanes, sums, 9);
        finish(y, rows, i + 2, r + 2, bias, w, w2, x, x2, c, cols, lanes, sums, 10);
        finish(y, rows, i + 3, r + 2, bias, w, w2, x, x3, c, cols, lanes, sums, 11);
        finish(y, rows, i + 0, r + 3, bias, w, w3, x, x0, c, cols, lanes, sums, 12);
        finish(y, rows, i + 1, r + 3, bias, w, w3, x, x1, c, cols, lanes, sums, 13);
        finish(y, rows, i + 2, r + 3, bias, w, w3, x, x2, c, cols, lanes, sums, 14);
        finish(y, rows, i + 3, r + 3, bias, w, w3, x, x3, c, cols, lanes, sums, 15);
    }

    /** One output of a tile: lane sum of accumulator {@code k} in {@code sums}, scalar tail from column {@code tail}, bias. */
    private static void finish(float[] y, int rows, int i, int r, float[] bias, float[] w, int wo, float[] x, int xo,
            int tail, int cols, float[] lanes, float[] sums, int k) {
        float s = Simd.sum(FloatVector.fromArray(F, sums, k * L), lanes);
        for (int c = tail; c < cols; c++) {
            s += w[wo + c] * x[xo + c];
        }
        y[i * rows + r] = bias == null ? s : s + bias[r];
    }
}
