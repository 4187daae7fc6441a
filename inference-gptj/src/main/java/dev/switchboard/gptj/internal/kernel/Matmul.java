package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * {@code y = x·Wᵀ (+ bias)} for any {@link WeightMatrix}: the engine's kernels for generated tokens'
 * rows (decode, alone or batched); prompt rows take {@link PromptMatmul}. Fewer than four input rows (decode of one to
 * three sequences): each output is one {@link WeightMatrix#dot} straight from the stored weights, so the
 * weights stream through once and memory bandwidth is the limit. Small batches (4 to
 * {@link #WIDEN_FROM} − 1 rows) of fp32 or int8 weights: 4 × 4 tiles straight from the stored
 * weights ({@link #multiplyDirect}), which still read them once. More rows (large batches; before
 * {@link PromptMatmul}, prefill too), and fp16/bf16 from 4 rows: {@link #ROW_BLOCK} weight rows are widened to fp32 in a scratch buffer that stays in L2, and
 * 4 × 4 register tiles (4 weight rows × 4 input rows, 16 accumulators, two FMAs per load) go over them
 * {@link #INPUT_BLOCK} input rows and {@link #COLUMN_CHUNK} columns at a time, so the operands of a tile
 * come from L1 and L2 rather than from L3 (see {@link #multiplyBlocked}).
 *
 * <p>The canonical order of every output, on every path: one vector accumulator, fused multiply-adds
 * over the full vectors of the row in order, lanes summed by {@link Simd#sum}, then the remaining
 * elements added one by one; then the bias. So results are bit-identical however rows are batched,
 * tiled or split between threads.
 */
public final class Matmul {

    /** Weight rows widened to fp32 at a time (a multiple of 4); they stay in L2 while the input rows pass. */
    public static final int ROW_BLOCK = 16;
    /** Input rows taken at a time (a multiple of 4). */
    static final int INPUT_BLOCK = 8;
    /**
     * Columns per chunk (a multiple of the vector length). 256 and 512 measured best on the GPU host's Xeon
     * (48 KiB L1d, 2 MiB L2); on the 32 KiB-L1d EPYC of the dev VM longer chunks do slightly better.
     */
    static final int COLUMN_CHUNK = 512;

    /**
     * From this many input rows on, fp32 and int8 rows are widened into scratch once per block and tiled
     * over the input rows in column chunks (large batches); below it, {@link #multiplyDirect} (batched
     * decode), whose tiles re-read all input rows for every four weight rows. 1.01 B model, int8
     * decode tok/s at batch 4 / 16 / 32 on the Xeon, 2 threads (bench/CPU-NOTES.md): direct 44–51 /
     * 46–56 / 50–59, widened – / 32 / 39; prompts of 200–1,600 rows (then through this class) prefilled
     * 13–20% faster widened.
     */
    public static final int WIDEN_FROM = 64;

    private Matmul() {
    }

    /** Length of the scratch buffer {@link #multiply} needs for a matrix of {@code cols} columns. */
    public static int scratchSize(int cols) {
        return ROW_BLOCK * cols + INPUT_BLOCK * ROW_BLOCK * L;
    }

    /**
     * Output features {@code [r0, r1)} of {@code n} input rows: {@code y[i*rows + r] = W[r]·x[i] + bias[r]}.
     * {@code scratch} (length ≥ {@link #scratchSize}) and {@code lanes} (length ≥ L) belong to the calling thread.
     */
    public static void multiply(WeightMatrix w, float[] x, int n, float[] y, float[] bias, int r0, int r1,
            float[] scratch, float[] lanes) {
        if (w instanceof Q8Matrix q8 && n < 4) {
            q8.multiplyFew(x, n, y, bias, r0, r1, lanes); // two far streams of int8 rows (see Q8Matrix.dot2)
            return;
        }
        if (n >= 4 && n < WIDEN_FROM && direct(w)) {
            multiplyDirect(w, x, n, y, bias, r0, r1, lanes); // a small batch: no widened copy of the weights
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
                        y[i * rows + r] = withBias(four[k], bias, r);
                    }
                }
                for (int r = r0 + 4 * quarter; r < r1; r++) {
                    float s = w.dot(r, x, i * cols, lanes);
                    y[i * rows + r] = withBias(s, bias, r);
                }
            }
            return;
        }
        multiplyBlocked(w, x, n, y, bias, r0, r1, scratch, lanes);
    }

    /** Whether {@link #multiplyDirect} takes {@code w}: fp32 rows of whole vectors, int8 rows of whole AVX-512 blocks. */
    private static boolean direct(WeightMatrix w) {
        return switch (w) {
            case F32Matrix f -> f.cols() % L == 0;
            case Q8Matrix q -> L == 16 && q.cols() % Q8Matrix.BLOCK == 0;
            default -> false;
        };
    }

    /**
     * Small batches (4 ≤ n < {@link #WIDEN_FROM}) straight from the stored weights: 4 × 4 tiles of
     * 4 weight rows a quarter of {@code [r0, r1)} apart (four long streams, as {@link WeightMatrix#dot4}) ×
     * 4 input rows, each weight vector read once for the four inputs. Batched decode is bound by reading
     * the weights once per step; widening them into scratch first costs as much as the tiles at a handful
     * of rows. Per output the operations of {@link WeightMatrix#dot}, so bit-identical.
     */
    static void multiplyDirect(WeightMatrix w, float[] x, int n, float[] y, float[] bias, int r0, int r1, float[] lanes) {
        int rows = w.rows();
        int cols = w.cols();
        float[] sums = new float[16 * L];
        int quarter = (r1 - r0) / 4;
        int tEnd = n & ~3;
        for (int j = 0; j < quarter; j++) {
            int r = r0 + j;
            for (int i = 0; i < tEnd; i += 4) {
                switch (w) {
                    case F32Matrix f -> f.tile4x4(r, quarter, x, i * cols, sums);
                    case Q8Matrix q -> q.tile4x4(r, quarter, x, i * cols, sums);
                    default -> throw new IllegalArgumentException("no direct tiles for " + w.getClass().getSimpleName());
                }
                for (int a = 0; a < 4; a++) {
                    int ra = r + a * quarter;
                    for (int b = 0; b < 4; b++) {
                        float s = Simd.sum(FloatVector.fromArray(F, sums, (4 * a + b) * L), lanes);
                        y[(i + b) * rows + ra] = withBias(s, bias, ra);
                    }
                }
            }
            for (int i = tEnd; i < n; i++) {
                for (int a = 0; a < 4; a++) {
                    int ra = r + a * quarter;
                    float s = w.dot(ra, x, i * cols, lanes);
                    y[i * rows + ra] = withBias(s, bias, ra);
                }
            }
        }
        for (int ra = r0 + 4 * quarter; ra < r1; ra++) {
            for (int i = 0; i < n; i++) {
                float s = w.dot(ra, x, i * cols, lanes);
                y[i * rows + ra] = withBias(s, bias, ra);
            }
        }
    }

    /** {@code s + bias[r]}, or {@code s} without a bias: the last step of every output. */
    static float withBias(float s, float[] bias, int r) {
        return bias == null ? s : s + bias[r];
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

    /** One output of a tile: lane sum of accumulator {@code k} in {@code sums}, scalar tail from column {@code tail}, bias. */
    private static void finish(float[] y, int rows, int i, int r, float[] bias, float[] w, int wo, float[] x, int xo,
            int tail, int cols, float[] lanes, float[] sums, int k) {
        float s = Simd.sum(FloatVector.fromArray(F, sums, k * L), lanes);
        for (int c = tail; c < cols; c++) {
            s += w[wo + c] * x[xo + c];
        }
        y[i * rows + r] = withBias(s, bias, r);
    }

    /**
     * The matrix-matrix path: rows {@code [r0, r1)} widened {@link #ROW_BLOCK} at a time into {@code scratch};
     * for each {@link #INPUT_BLOCK} input rows, the columns in chunks of {@link #COLUMN_CHUNK}, each chunk
     * taken by every 4 × 4 tile of the block before the next chunk, the tiles' 16 accumulators parked
     * in {@code scratch} after the widened rows between chunks. Each output still takes its fused
     * multiply-adds over the full vectors in column order, so it is bit-identical to {@link WeightMatrix#dot}.
     * Before this, whole rows per tile: on the Xeon, the input rows of a 200-token prompt (1.6–6.4 MB)
     * came from L3 again for every 4–16 weight rows (bench/CPU-NOTES.md, "Prefill: column chunks").
     */
    private static void multiplyBlocked(WeightMatrix w, float[] x, int n, float[] y, float[] bias, int r0, int r1,
            float[] scratch, float[] lanes) {
        int rows = w.rows();
        int cols = w.cols();
        int rb = ROW_BLOCK;
        int tb = INPUT_BLOCK;
        int kc = COLUMN_CHUNK;
        int parkAt = rb * cols; // the tiles' parked accumulators follow the widened rows in scratch
        int full = cols - cols % L;
        for (int b0 = r0; b0 < r1; b0 += rb) {
            int b1 = Math.min(r1, b0 + rb);
            w.readRows(b0, b1, scratch);
            int quads = (b1 - b0) / 4;
            int rEnd = b0 + 4 * quads;
            for (int t0 = 0; t0 < n; t0 += tb) {
                int t1 = Math.min(n, t0 + tb);
                int tEnd = t0 + ((t1 - t0) & ~3);
                java.util.Arrays.fill(scratch, parkAt, parkAt + (tEnd - t0) * 4 * quads * L, 0f);
                for (int k0 = 0; k0 < full; k0 += kc) {
                    int k1 = Math.min(full, k0 + kc);
                    for (int i = t0; i < tEnd; i += 4) {
                        int p = parkAt + ((i - t0) / 4) * quads * 16 * L;
                        for (int q = 0; q < quads; q++, p += 16 * L) {
                            chunk4x4(scratch, 4 * q * cols, x, i * cols, cols, k0, k1, scratch, p);
                        }
                    }
                }
                for (int i = t0; i < tEnd; i += 4) {
                    int p = parkAt + ((i - t0) / 4) * quads * 16 * L;
                    for (int q = 0; q < quads; q++, p += 16 * L) {
                        int wo = 4 * q * cols;
                        for (int a = 0; a < 4; a++) {
                            for (int b = 0; b < 4; b++) {
                                finish(y, rows, i + b, b0 + 4 * q + a, bias, scratch, wo + a * cols, x, (i + b) * cols,
                                        full, cols, lanes, scratch, (p / L) + 4 * a + b);
                            }
                        }
                    }
                    for (int r = rEnd; r < b1; r++) {
                        for (int j = i; j < i + 4; j++) {
                            float s = dot(scratch, (r - b0) * cols, x, j * cols, cols, lanes);
                            y[j * rows + r] = withBias(s, bias, r);
                        }
                    }
                }
                for (int i = tEnd; i < t1; i++) {
                    for (int r = b0; r < b1; r++) {
                        float s = dot(scratch, (r - b0) * cols, x, i * cols, cols, lanes);
                        y[i * rows + r] = withBias(s, bias, r);
                    }
                }
            }
        }
    }

    /** Columns {@code [k0, k1)} (whole vectors) of a 4 × 4 tile, its accumulators parked at {@code park[p..p+16L)}. */
    private static void chunk4x4(float[] w, int wo, float[] x, int xo, int cols, int k0, int k1, float[] park, int p) {
        int w0 = wo;
        int w1 = wo + cols;
        int w2 = w1 + cols;
        int w3 = w2 + cols;
        int x0 = xo;
        int x1 = xo + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        FloatVector a00 = FloatVector.fromArray(F, park, p);
        FloatVector a01 = FloatVector.fromArray(F, park, p + L);
        FloatVector a02 = FloatVector.fromArray(F, park, p + 2 * L);
        FloatVector a03 = FloatVector.fromArray(F, park, p + 3 * L);
        FloatVector a10 = FloatVector.fromArray(F, park, p + 4 * L);
        FloatVector a11 = FloatVector.fromArray(F, park, p + 5 * L);
        FloatVector a12 = FloatVector.fromArray(F, park, p + 6 * L);
        FloatVector a13 = FloatVector.fromArray(F, park, p + 7 * L);
        FloatVector a20 = FloatVector.fromArray(F, park, p + 8 * L);
        FloatVector a21 = FloatVector.fromArray(F, park, p + 9 * L);
        FloatVector a22 = FloatVector.fromArray(F, park, p + 10 * L);
        FloatVector a23 = FloatVector.fromArray(F, park, p + 11 * L);
        FloatVector a30 = FloatVector.fromArray(F, park, p + 12 * L);
        FloatVector a31 = FloatVector.fromArray(F, park, p + 13 * L);
        FloatVector a32 = FloatVector.fromArray(F, park, p + 14 * L);
        FloatVector a33 = FloatVector.fromArray(F, park, p + 15 * L);
        for (int c = k0; c < k1; c += L) {
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
        a00.intoArray(park, p);
        a01.intoArray(park, p + L);
        a02.intoArray(park, p + 2 * L);
        a03.intoArray(park, p + 3 * L);
        a10.intoArray(park, p + 4 * L);
        a11.intoArray(park, p + 5 * L);
        a12.intoArray(park, p + 6 * L);
        a13.intoArray(park, p + 7 * L);
        a20.intoArray(park, p + 8 * L);
        a21.intoArray(park, p + 9 * L);
        a22.intoArray(park, p + 10 * L);
        a23.intoArray(park, p + 11 * L);
        a30.intoArray(park, p + 12 * L);
        a31.intoArray(park, p + 13 * L);
        a32.intoArray(park, p + 14 * L);
        a33.intoArray(park, p + 15 * L);
    }
}
