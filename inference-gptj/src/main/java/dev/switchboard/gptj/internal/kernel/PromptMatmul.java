package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Prompt rows (prefill): {@code y = x·Wᵀ (+ bias)} as outer products, the way BLAS libraries run a
 * matrix–matrix product, for any {@link WeightMatrix}. The input rows are first {@link #pack}ed column
 * by column into blocks of {@link #BLOCK} rows ({@code xt[(b·cols + k)·BLOCK + j] = x[b·BLOCK + j][k]}),
 * once per input and step, shared by every matrix and thread that reads it. Weight rows are widened to
 * fp32 {@link #ROW_BLOCK} at a time ({@link WeightMatrix#readRow}), each {@link #GROUP} of them laid out as
 * a panel of whole vectors ({@link #toPanel}: vector {@code v} of row {@code a} at {@code (v·GROUP + a)·L}),
 * so a tile's eight weights of a column sit {@code L} apart from one index and the rows are copied a vector
 * at a time (an element-wise interleave, column by column, took ~20% of an int8 prefill); a
 * register tile of 8 weight rows × 3 vectors of input rows (24 accumulators) then takes, per column, 3
 * vector loads and 8 broadcasts for 24 fused multiply-adds, with no horizontal sums — against 8 loads per 16 FMAs and a lane sum per
 * output for {@link Matmul}'s dot-product tiles. Columns go in chunks of {@link #COLUMN_CHUNK}, every
 * tile of the block taking a chunk before the next, the accumulators parked in scratch between chunks,
 * so the packed inputs of a chunk stay in L1 while the weights pass.
 *
 * <p>The order of every output, on every path: one fp32 fused multiply-add chain over the columns in
 * order ({@code s = fma(W[r,k], x[k], s)} from {@code s = 0}, {@code k = 0 .. cols−1}), then the bias
 * — each lane of a tile is one output. So a prompt row's result depends neither on how many rows are
 * multiplied with it, nor on the vector length, nor on how the rows are split between threads. It is a
 * different order from {@link Matmul}'s (lanes of 16-wide partial sums), which generated tokens keep.
 */
public final class PromptMatmul {

    /** Input rows per packed block: three vectors (48 with AVX-512). */
    public static final int BLOCK = 3 * L;
    /** Weight rows widened to fp32 at a time (a multiple of {@link #GROUP}); work items are whole blocks. */
    public static final int ROW_BLOCK = 64;
    /** Weight rows per register tile. */
    static final int GROUP = 8;
    /**
     * Columns per chunk: a chunk of one packed block (128 × 48 floats, 24 KiB) and a group's weights (4 KiB)
     * stay in L1 while the block's eight groups pass. On the Xeon 128 ran 7–10% faster than 256 and 512
     * (bench/CPU-NOTES.md).
     */
    static final int COLUMN_CHUNK = 128;
    /** Accumulator vectors parked per tile (8 rows × 3 vectors, fewer used by narrower tiles). */
    private static final int PARKED = GROUP * 3;

    private PromptMatmul() {
    }

    /** Packed blocks for {@code n} input rows. */
    public static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    /** Length of the packed form of {@code n} rows of {@code cols} columns. */
    public static int packedSize(int n, int cols) {
        return blocks(n) * BLOCK * cols;
    }

    /** Length of the per-thread scratch {@link #multiply} needs. */
    public static int scratchSize(int n, int cols) {
        int padded = padded(cols);
        return ROW_BLOCK * padded + padded + blocks(n) * (ROW_BLOCK / GROUP) * PARKED * L;
    }

    /** {@code cols} rounded up to whole vectors: a group's panel holds {@code GROUP × padded} floats. */
    private static int padded(int cols) {
        return (cols + L - 1) / L * L;
    }

    /**
     * Columns {@code [k0, k1)} of packed block {@code b} of input rows {@code x[row0 .. row0+n)}
     * ({@code cols} each) into {@code xt}; rows of the block past {@code n} are zero.
     */
    public static void pack(float[] x, int row0, int n, int cols, int b, int k0, int k1, float[] xt) {
        int first = b * BLOCK;
        int count = Math.min(BLOCK, n - first);
        int src = (row0 + first) * cols;
        for (int k = k0; k < k1; k++) {
            int o = (b * cols + k) * BLOCK;
            for (int j = 0; j < count; j++) {
                xt[o + j] = x[src + j * cols + k];
            }
            for (int j = count; j < BLOCK; j++) {
                xt[o + j] = 0f;
            }
        }
    }

    /**
     * Output features {@code [r0, r1)} of {@code n} packed input rows: {@code y[(yRow0 + i)·rows + r] =
     * W[r]·x[i] + bias[r]}. {@code scratch} (length ≥ {@link #scratchSize}) belongs to the calling thread.
     */
    public static void multiply(WeightMatrix w, float[] xt, int n, float[] y, int yRow0, float[] bias, int r0, int r1,
            float[] scratch) {
        int rows = w.rows();
        int cols = w.cols();
        int nb = blocks(n);
        int padded = padded(cols);
        int rowsAt = ROW_BLOCK * padded;             // one row widened, before it goes into its panel
        int parkAt = rowsAt + padded;                // the tiles' parked accumulators
        for (int b0 = r0; b0 < r1; b0 += ROW_BLOCK) {
            int b1 = Math.min(r1, b0 + ROW_BLOCK);
            int groups = (b1 - b0) / GROUP;
            for (int r = 0; r < groups * GROUP; r++) {
                w.readRow(b0 + r, scratch, rowsAt);
                toPanel(scratch, rowsAt, cols, (r / GROUP) * GROUP * padded, r % GROUP);
            }
            Arrays.fill(scratch, parkAt, parkAt + nb * groups * PARKED * L, 0f);
            for (int k0 = 0; k0 < cols; k0 += COLUMN_CHUNK) {
                int k1 = Math.min(cols, k0 + COLUMN_CHUNK);
                for (int blk = 0; blk < nb; blk++) {
                    int xo = blk * cols * BLOCK;
                    int vectors = vectors(blk, n);
                    for (int g = 0; g < groups; g++) {
                        int p = parkAt + (blk * groups + g) * PARKED * L;
                        int wo = g * GROUP * padded;
                        switch (vectors) {
                            case 3 -> tile3(scratch, wo, xt, xo, k0, k1, scratch, p);
                            case 2 -> tile2(scratch, wo, xt, xo, k0, k1, scratch, p);
                            default -> tile1(scratch, wo, xt, xo, k0, k1, scratch, p);
                        }
                    }
                }
            }
            for (int blk = 0; blk < nb; blk++) {
                int count = Math.min(BLOCK, n - blk * BLOCK);
                for (int g = 0; g < groups; g++) {
                    int p = parkAt + (blk * groups + g) * PARKED * L;
                    for (int a = 0; a < GROUP; a++) {
                        store(scratch, p, a, y, yRow0 + blk * BLOCK, count, rows, bias, b0 + g * GROUP + a);
                    }
                }
            }
            for (int r = b0 + groups * GROUP; r < b1; r++) { // rows past the last whole group
                w.readRow(r, scratch, rowsAt);
                for (int blk = 0; blk < nb; blk++) {
                    row(scratch, rowsAt, cols, xt, blk * cols * BLOCK, scratch, parkAt);
                    store(scratch, parkAt, 0, y, yRow0 + blk * BLOCK, Math.min(BLOCK, n - blk * BLOCK), rows, bias, r);
                }
            }
        }
    }

    /**
     * The widened row at {@code s[so..so+cols)} as row {@code a} of the panel at {@code s[po..)}: vector
     * {@code v} of the row (columns {@code v·L ..}) at {@code po + (v·GROUP + a)·L}, so a column's {@code GROUP}
     * weights sit {@code L} apart from one index and each vector is copied whole.
     */
    private static void toPanel(float[] s, int so, int cols, int po, int a) {
        int c = 0;
        for (; c + L <= cols; c += L) {
            FloatVector.fromArray(F, s, so + c).intoArray(s, po + (c / L * GROUP + a) * L);
        }
        for (; c < cols; c++) {
            s[po + (c / L * GROUP + a) * L + c % L] = s[so + c];
        }
    }

    /** Vectors of input rows that packed block {@code blk} of {@code n} rows has. */
    private static int vectors(int blk, int n) {
        return Math.min(3, (n - blk * BLOCK + L - 1) / L);
    }

    /**
     * Outputs of weight row {@code r} (row {@code a} of its tile) for {@code count} input rows from
     * {@code row0} on: lane {@code j % L} of parked vector {@code a·3 + j / L}, plus the bias.
     */
    private static void store(float[] park, int p, int a, float[] y, int row0, int count, int rows, float[] bias, int r) {
        for (int j = 0; j < count; j++) {
            y[(row0 + j) * rows + r] = Matmul.withBias(park[p + (a * 3 + j / L) * L + j % L], bias, r);
        }
    }

    /** One weight row (a block's tail) × one packed block, all columns at once, parked at {@code park[p..p+3L)}; the same chain per output. */
    private static void row(float[] w, int wo, int cols, float[] xt, int xo, float[] park, int p) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        for (int k = 0; k < cols; k++) {
            int o = xo + k * BLOCK;
            FloatVector u = FloatVector.broadcast(F, w[wo + k]);
            a0 = u.fma(FloatVector.fromArray(F, xt, o), a0);
            a1 = u.fma(FloatVector.fromArray(F, xt, o + L), a1);
            a2 = u.fma(FloatVector.fromArray(F, xt, o + 2 * L), a2);
        }
        a0.intoArray(park, p);
        a1.intoArray(park, p + L);
        a2.intoArray(park, p + 2 * L);
    }

    /** Columns {@code [k0, k1)} of a panel of 8 weight rows × 3 vectors of packed input rows, accumulators parked at {@code park[p..)}. */
    private static void tile3(float[] w, int wo, float[] xt, int xo, int k0, int k1, float[] park, int p) {
        FloatVector a00 = FloatVector.fromArray(F, park, p + 0 * L);
        FloatVector a01 = FloatVector.fromArray(F, park, p + 1 * L);
        FloatVector a02 = FloatVector.fromArray(F, park, p + 2 * L);
        FloatVector a10 = FloatVector.fromArray(F, park, p + 3 * L);
        FloatVector a11 = FloatVector.fromArray(F, park, p + 4 * L);
        FloatVector a12 = FloatVector.fromArray(F, park, p + 5 * L);
        FloatVector a20 = FloatVector.fromArray(F, park, p + 6 * L);
        FloatVector a21 = FloatVector.fromArray(F, park, p + 7 * L);
        FloatVector a22 = FloatVector.fromArray(F, park, p + 8 * L);
        FloatVector a30 = FloatVector.fromArray(F, park, p + 9 * L);
        FloatVector a31 = FloatVector.fromArray(F, park, p + 10 * L);
        FloatVector a32 = FloatVector.fromArray(F, park, p + 11 * L);
        FloatVector a40 = FloatVector.fromArray(F, park, p + 12 * L);
        FloatVector a41 = FloatVector.fromArray(F, park, p + 13 * L);
        FloatVector a42 = FloatVector.fromArray(F, park, p + 14 * L);
        FloatVector a50 = FloatVector.fromArray(F, park, p + 15 * L);
        FloatVector a51 = FloatVector.fromArray(F, park, p + 16 * L);
        FloatVector a52 = FloatVector.fromArray(F, park, p + 17 * L);
        FloatVector a60 = FloatVector.fromArray(F, park, p + 18 * L);
        FloatVector a61 = FloatVector.fromArray(F, park, p + 19 * L);
        FloatVector a62 = FloatVector.fromArray(F, park, p + 20 * L);
        FloatVector a70 = FloatVector.fromArray(F, park, p + 21 * L);
        FloatVector a71 = FloatVector.fromArray(F, park, p + 22 * L);
        FloatVector a72 = FloatVector.fromArray(F, park, p + 23 * L);
        for (int k = k0, o = xo + k0 * BLOCK; k < k1; k++, o += BLOCK) {
            int i = wo + (k & -L) * GROUP + (k & (L - 1)); // column k in the panel: vector k / L, lane k % L (L: a power of two)
            FloatVector v0 = FloatVector.fromArray(F, xt, o);
            FloatVector v1 = FloatVector.fromArray(F, xt, o + L);
            FloatVector v2 = FloatVector.fromArray(F, xt, o + 2 * L);
            FloatVector u = FloatVector.broadcast(F, w[i]);
            a00 = u.fma(v0, a00); a01 = u.fma(v1, a01); a02 = u.fma(v2, a02);
            u = FloatVector.broadcast(F, w[i + 1 * L]);
            a10 = u.fma(v0, a10); a11 = u.fma(v1, a11); a12 = u.fma(v2, a12);
            u = FloatVector.broadcast(F, w[i + 2 * L]);
            a20 = u.fma(v0, a20); a21 = u.fma(v1, a21); a22 = u.fma(v2, a22);
            u = FloatVector.broadcast(F, w[i + 3 * L]);
            a30 = u.fma(v0, a30); a31 = u.fma(v1, a31); a32 = u.fma(v2, a32);
            u = FloatVector.broadcast(F, w[i + 4 * L]);
            a40 = u.fma(v0, a40); a41 = u.fma(v1, a41); a42 = u.fma(v2, a42);
            u = FloatVector.broadcast(F, w[i + 5 * L]);
            a50 = u.fma(v0, a50); a51 = u.fma(v1, a51); a52 = u.fma(v2, a52);
            u = FloatVector.broadcast(F, w[i + 6 * L]);
            a60 = u.fma(v0, a60); a61 = u.fma(v1, a61); a62 = u.fma(v2, a62);
            u = FloatVector.broadcast(F, w[i + 7 * L]);
            a70 = u.fma(v0, a70); a71 = u.fma(v1, a71); a72 = u.fma(v2, a72);
        }
        a00.intoArray(park, p + 0 * L);
        a01.intoArray(park, p + 1 * L);
        a02.intoArray(park, p + 2 * L);
        a10.intoArray(park, p + 3 * L);
        a11.intoArray(park, p + 4 * L);
        a12.intoArray(park, p + 5 * L);
        a20.intoArray(park, p + 6 * L);
        a21.intoArray(park, p + 7 * L);
        a22.intoArray(park, p + 8 * L);
        a30.intoArray(park, p + 9 * L);
        a31.intoArray(park, p + 10 * L);
        a32.intoArray(park, p + 11 * L);
        a40.intoArray(park, p + 12 * L);
        a41.intoArray(park, p + 13 * L);
        a42.intoArray(park, p + 14 * L);
        a50.intoArray(park, p + 15 * L);
        a51.intoArray(park, p + 16 * L);
        a52.intoArray(park, p + 17 * L);
        a60.intoArray(park, p + 18 * L);
        a61.intoArray(park, p + 19 * L);
        a62.intoArray(park, p + 20 * L);
        a70.intoArray(park, p + 21 * L);
        a71.intoArray(park, p + 22 * L);
        a72.intoArray(park, p + 23 * L);
    }

    /** Columns {@code [k0, k1)} of a panel of 8 weight rows × 2 vectors of packed input rows, accumulators parked at {@code park[p..)}. */
    private static void tile2(float[] w, int wo, float[] xt, int xo, int k0, int k1, float[] park, int p) {
        FloatVector a00 = FloatVector.fromArray(F, park, p + 0 * L);
        FloatVector a01 = FloatVector.fromArray(F, park, p + 1 * L);
        FloatVector a10 = FloatVector.fromArray(F, park, p + 3 * L);
        FloatVector a11 = FloatVector.fromArray(F, park, p + 4 * L);
        FloatVector a20 = FloatVector.fromArray(F, park, p + 6 * L);
        FloatVector a21 = FloatVector.fromArray(F, park, p + 7 * L);
        FloatVector a30 = FloatVector.fromArray(F, park, p + 9 * L);
        FloatVector a31 = FloatVector.fromArray(F, park, p + 10 * L);
        FloatVector a40 = FloatVector.fromArray(F, park, p + 12 * L);
        FloatVector a41 = FloatVector.fromArray(F, park, p + 13 * L);
        FloatVector a50 = FloatVector.fromArray(F, park, p + 15 * L);
        FloatVector a51 = FloatVector.fromArray(F, park, p + 16 * L);
        FloatVector a60 = FloatVector.fromArray(F, park, p + 18 * L);
        FloatVector a61 = FloatVector.fromArray(F, park, p + 19 * L);
        FloatVector a70 = FloatVector.fromArray(F, park, p + 21 * L);
        FloatVector a71 = FloatVector.fromArray(F, park, p + 22 * L);
        for (int k = k0, o = xo + k0 * BLOCK; k < k1; k++, o += BLOCK) {
            int i = wo + (k & -L) * GROUP + (k & (L - 1));
            FloatVector v0 = FloatVector.fromArray(F, xt, o);
            FloatVector v1 = FloatVector.fromArray(F, xt, o + L);
            FloatVector u = FloatVector.broadcast(F, w[i]);
            a00 = u.fma(v0, a00); a01 = u.fma(v1, a01);
            u = FloatVector.broadcast(F, w[i + 1 * L]);
            a10 = u.fma(v0, a10); a11 = u.fma(v1, a11);
            u = FloatVector.broadcast(F, w[i + 2 * L]);
            a20 = u.fma(v0, a20); a21 = u.fma(v1, a21);
            u = FloatVector.broadcast(F, w[i + 3 * L]);
            a30 = u.fma(v0, a30); a31 = u.fma(v1, a31);
            u = FloatVector.broadcast(F, w[i + 4 * L]);
            a40 = u.fma(v0, a40); a41 = u.fma(v1, a41);
            u = FloatVector.broadcast(F, w[i + 5 * L]);
            a50 = u.fma(v0, a50); a51 = u.fma(v1, a51);
            u = FloatVector.broadcast(F, w[i + 6 * L]);
            a60 = u.fma(v0, a60); a61 = u.fma(v1, a61);
            u = FloatVector.broadcast(F, w[i + 7 * L]);
            a70 = u.fma(v0, a70); a71 = u.fma(v1, a71);
        }
        a00.intoArray(park, p + 0 * L);
        a01.intoArray(park, p + 1 * L);
        a10.intoArray(park, p + 3 * L);
        a11.intoArray(park, p + 4 * L);
        a20.intoArray(park, p + 6 * L);
        a21.intoArray(park, p + 7 * L);
        a30.intoArray(park, p + 9 * L);
        a31.intoArray(park, p + 10 * L);
        a40.intoArray(park, p + 12 * L);
        a41.intoArray(park, p + 13 * L);
        a50.intoArray(park, p + 15 * L);
        a51.intoArray(park, p + 16 * L);
        a60.intoArray(park, p + 18 * L);
        a61.intoArray(park, p + 19 * L);
        a70.intoArray(park, p + 21 * L);
        a71.intoArray(park, p + 22 * L);
    }

    /** Columns {@code [k0, k1)} of a panel of 8 weight rows × 1 vector of packed input rows, accumulators parked at {@code park[p..)}. */
    private static void tile1(float[] w, int wo, float[] xt, int xo, int k0, int k1, float[] park, int p) {
        FloatVector a00 = FloatVector.fromArray(F, park, p + 0 * L);
        FloatVector a10 = FloatVector.fromArray(F, park, p + 3 * L);
        FloatVector a20 = FloatVector.fromArray(F, park, p + 6 * L);
        FloatVector a30 = FloatVector.fromArray(F, park, p + 9 * L);
        FloatVector a40 = FloatVector.fromArray(F, park, p + 12 * L);
        FloatVector a50 = FloatVector.fromArray(F, park, p + 15 * L);
        FloatVector a60 = FloatVector.fromArray(F, park, p + 18 * L);
        FloatVector a70 = FloatVector.fromArray(F, park, p + 21 * L);
        for (int k = k0, o = xo + k0 * BLOCK; k < k1; k++, o += BLOCK) {
            int i = wo + (k & -L) * GROUP + (k & (L - 1));
            FloatVector v0 = FloatVector.fromArray(F, xt, o);
            FloatVector u = FloatVector.broadcast(F, w[i]);
            a00 = u.fma(v0, a00);
            u = FloatVector.broadcast(F, w[i + 1 * L]);
            a10 = u.fma(v0, a10);
            u = FloatVector.broadcast(F, w[i + 2 * L]);
            a20 = u.fma(v0, a20);
            u = FloatVector.broadcast(F, w[i + 3 * L]);
            a30 = u.fma(v0, a30);
            u = FloatVector.broadcast(F, w[i + 4 * L]);
            a40 = u.fma(v0, a40);
            u = FloatVector.broadcast(F, w[i + 5 * L]);
            a50 = u.fma(v0, a50);
            u = FloatVector.broadcast(F, w[i + 6 * L]);
            a60 = u.fma(v0, a60);
            u = FloatVector.broadcast(F, w[i + 7 * L]);
            a70 = u.fma(v0, a70);
        }
        a00.intoArray(park, p + 0 * L);
        a10.intoArray(park, p + 3 * L);
        a20.intoArray(park, p + 6 * L);
        a30.intoArray(park, p + 9 * L);
        a40.intoArray(park, p + 12 * L);
        a50.intoArray(park, p + 15 * L);
        a60.intoArray(park, p + 18 * L);
        a70.intoArray(park, p + 21 * L);
    }
}
