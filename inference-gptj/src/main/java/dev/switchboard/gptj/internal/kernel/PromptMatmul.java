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
 * fp32 {@link #ROW_BLOCK} at a time ({@link WeightMatrix#readRow}), each {@link #GROUP} of them interleaved
 * column by column into a panel ({@link #toPanel}: column {@code k}'s weights at {@code k·PANEL + a}, by
 * two-vector permutes), so the tile reads a column's weights at fixed offsets from an index that grows by
 * {@link #PANEL} per column — no range checks or index arithmetic left in its loop. A register tile of 7 weight
 * rows × 3 vectors of input rows (21 accumulators) then takes, per column, 3 vector loads and 7 broadcasts
 * for 21 fused multiply-adds, with no horizontal sums — against 8 loads per 16 FMAs and a lane sum per
 * output for {@link Matmul}'s dot-product tiles. Seven rows, not eight, because 24 accumulators, 3 input vectors
 * and the broadcasts C2 loads ahead exceed the 32 vector registers: C2 then keeps an accumulator on the stack
 * (bench/CPU-NOTES.md). Columns go in chunks of {@link #COLUMN_CHUNK}, every tile of the block taking a chunk
 * before the next, the accumulators parked in scratch between chunks, so the packed inputs of a chunk stay
 * in L1 while the weights pass. The results go out one input row at a time ({@link #storeBlock}).
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
    /** Weight rows widened to fp32 at a time (a multiple of {@link #GROUP}); work items are whole blocks but the last. */
    public static final int ROW_BLOCK = 56;
    /** Weight rows per register tile. */
    static final int GROUP = 7;
    /** Floats per column in a panel: {@link #GROUP} weights and one unused, so that eight rows interleave by permutes. */
    static final int PANEL = 8;
    /**
     * Columns per chunk: a chunk of one packed block (128 × 48 floats, 24 KiB) and a group's weights (4 KiB)
     * stay in L1 while the block's groups pass. On the Xeon 128 ran 7–10% faster than 256 and 512
     * (bench/CPU-NOTES.md).
     */
    static final int COLUMN_CHUNK = 128;
    /** Accumulator vectors parked per tile (7 rows × 3 vectors, fewer used by narrower tiles). */
    private static final int PARKED = GROUP * 3;
    /** Tile groups (panels) per row block. */
    private static final int GROUPS = ROW_BLOCK / GROUP;
    /**
     * Two-vector permutes ({@link FloatVector#selectFrom(jdk.incubator.vector.Vector, jdk.incubator.vector.Vector)},
     * one {@code vpermi2ps} with AVX-512) that zip vectors {@code a} and {@code b}: {@code ZIP_LO} gives
     * {@code a0 b0 a1 b1 …} from their lower halves, {@code ZIP_HI} the same from their upper halves.
     */
    private static final FloatVector ZIP_LO = zipIndexes(0);
    private static final FloatVector ZIP_HI = zipIndexes(L / 2);

    private PromptMatmul() {
    }

    private static FloatVector zipIndexes(int from) {
        float[] idx = new float[L];
        for (int j = 0; j < L / 2; j++) {
            idx[2 * j] = from + j;
            idx[2 * j + 1] = L + from + j;
        }
        return FloatVector.fromArray(F, idx, 0);
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
        return parkAt(padded(cols)) + blocks(n) * GROUPS * PARKED * L;
    }

    // The scratch of multiply: a row block's panels from 0, then a group's rows widened (stagingAt), then the
    // tiles' parked accumulators (parkAt).
    private static int stagingAt(int padded) {
        return GROUPS * PANEL * padded;
    }

    private static int parkAt(int padded) {
        return stagingAt(padded) + PANEL * padded;
    }

    /** {@code cols} rounded up to whole vectors: a group's panel holds {@code PANEL × padded} floats. */
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
        int rowsAt = stagingAt(padded);
        int parkAt = parkAt(padded);
        Arrays.fill(scratch, rowsAt + GROUP * padded, rowsAt + PANEL * padded, 0f); // the panels' unused row
        for (int b0 = r0; b0 < r1; b0 += ROW_BLOCK) {
            int live = Math.min(r1 - b0, ROW_BLOCK);
            int groups = (live + GROUP - 1) / GROUP;
            for (int g = 0; g < groups; g++) {
                for (int a = 0; a < GROUP; a++) {
                    int at = rowsAt + a * padded;
                    if (g * GROUP + a < live) {
                        w.readRow(b0 + g * GROUP + a, scratch, at);
                    } else { // a last group's rows past r1: computed, never stored
                        Arrays.fill(scratch, at, at + cols, 0f);
                    }
                }
                toPanel(scratch, rowsAt, padded, cols, g * PANEL * padded);
            }
            Arrays.fill(scratch, parkAt, parkAt + nb * groups * PARKED * L, 0f);
            for (int k0 = 0; k0 < cols; k0 += COLUMN_CHUNK) {
                int k1 = Math.min(cols, k0 + COLUMN_CHUNK);
                for (int blk = 0; blk < nb; blk++) {
                    int xo = blk * cols * BLOCK;
                    int vectors = vectors(blk, n);
                    for (int g = 0; g < groups; g++) {
                        int p = parkAt + (blk * groups + g) * PARKED * L;
                        int wo = g * PANEL * padded;
                        switch (vectors) {
                            case 3 -> tile3(scratch, wo, xt, xo, k0, k1, scratch, p);
                            case 2 -> tile2(scratch, wo, xt, xo, k0, k1, scratch, p);
                            default -> tile1(scratch, wo, xt, xo, k0, k1, scratch, p);
                        }
                    }
                }
            }
            for (int blk = 0; blk < nb; blk++) {
                storeBlock(scratch, parkAt + blk * groups * PARKED * L, live, y, yRow0 + blk * BLOCK,
                        Math.min(BLOCK, n - blk * BLOCK), rows, bias, b0);
            }
        }
    }

    /**
     * The {@link #PANEL} widened rows at {@code s[so + a·stride ..)} as the panel at {@code s[po..)}: column
     * {@code k}'s weights at {@code po + k·PANEL + a}. Each vector of columns is interleaved whole by three
     * rounds of zips ({@link #ZIP_LO}, {@link #ZIP_HI}: rows {@code a} and {@code a+4}, then the results
     * {@code j} and {@code j+2}, then {@code 0} and {@code 1}), 24 permutes per {@code PANEL·L} weights; an
     * element-wise interleave took ~20% of an int8 prefill.
     */
    private static void toPanel(float[] s, int so, int stride, int cols, int po) {
        int c = 0;
        for (; c + L <= cols; c += L) {
            int i = so + c;
            FloatVector r0 = FloatVector.fromArray(F, s, i);
            FloatVector r1 = FloatVector.fromArray(F, s, i + stride);
            FloatVector r2 = FloatVector.fromArray(F, s, i + 2 * stride);
            FloatVector r3 = FloatVector.fromArray(F, s, i + 3 * stride);
            FloatVector r4 = FloatVector.fromArray(F, s, i + 4 * stride);
            FloatVector r5 = FloatVector.fromArray(F, s, i + 5 * stride);
            FloatVector r6 = FloatVector.fromArray(F, s, i + 6 * stride);
            FloatVector r7 = FloatVector.fromArray(F, s, i + 7 * stride);
            // round 1: s_j = zip(r_j, r_j+4), two vectors each
            FloatVector s0l = ZIP_LO.selectFrom(r0, r4);
            FloatVector s0h = ZIP_HI.selectFrom(r0, r4);
            FloatVector s1l = ZIP_LO.selectFrom(r1, r5);
            FloatVector s1h = ZIP_HI.selectFrom(r1, r5);
            FloatVector s2l = ZIP_LO.selectFrom(r2, r6);
            FloatVector s2h = ZIP_HI.selectFrom(r2, r6);
            FloatVector s3l = ZIP_LO.selectFrom(r3, r7);
            FloatVector s3h = ZIP_HI.selectFrom(r3, r7);
            // round 2: u_j = zip(s_j, s_j+2), four vectors each
            FloatVector u00 = ZIP_LO.selectFrom(s0l, s2l);
            FloatVector u01 = ZIP_HI.selectFrom(s0l, s2l);
            FloatVector u02 = ZIP_LO.selectFrom(s0h, s2h);
            FloatVector u03 = ZIP_HI.selectFrom(s0h, s2h);
            FloatVector u10 = ZIP_LO.selectFrom(s1l, s3l);
            FloatVector u11 = ZIP_HI.selectFrom(s1l, s3l);
            FloatVector u12 = ZIP_LO.selectFrom(s1h, s3h);
            FloatVector u13 = ZIP_HI.selectFrom(s1h, s3h);
            // round 3: zip(u_0, u_1) = the eight rows interleaved, column by column
            int o = po + c * PANEL;
            ZIP_LO.selectFrom(u00, u10).intoArray(s, o);
            ZIP_HI.selectFrom(u00, u10).intoArray(s, o + L);
            ZIP_LO.selectFrom(u01, u11).intoArray(s, o + 2 * L);
            ZIP_HI.selectFrom(u01, u11).intoArray(s, o + 3 * L);
            ZIP_LO.selectFrom(u02, u12).intoArray(s, o + 4 * L);
            ZIP_HI.selectFrom(u02, u12).intoArray(s, o + 5 * L);
            ZIP_LO.selectFrom(u03, u13).intoArray(s, o + 6 * L);
            ZIP_HI.selectFrom(u03, u13).intoArray(s, o + 7 * L);
        }
        for (; c < cols; c++) {
            for (int a = 0; a < PANEL; a++) {
                s[po + c * PANEL + a] = s[so + a * stride + c];
            }
        }
    }

    /** Vectors of input rows that packed block {@code blk} of {@code n} rows has. */
    private static int vectors(int blk, int n) {
        return Math.min(3, (n - blk * BLOCK + L - 1) / L);
    }

    /**
     * Outputs of weight rows {@code [r0, r0 + live)} for {@code count} input rows from {@code row0} on, the
     * tiles of their groups parked one after another from {@code park[p..)} (row {@code a} of a tile, input
     * row {@code j}: lane {@code j % L} of its vector {@code a·3 + j / L}), plus the bias. One output row at a
     * time, its {@code live} features in order, so each line of {@code y} is written whole and once (feature by
     * feature, each store went to another row of {@code y}: ~9% of a prefill product).
     */
    private static void storeBlock(float[] park, int p, int live, float[] y, int row0, int count, int rows,
            float[] bias, int r0) {
        for (int j = 0; j < count; j++) {
            int out = (row0 + j) * rows + r0;
            int lane = p + j / L * L + j % L;
            for (int g = 0; g * GROUP < live; g++) {
                int t = lane + g * PARKED * L;
                int first = g * GROUP;
                for (int a = 0, end = Math.min(GROUP, live - first); a < end; a++) {
                    y[out + first + a] = Matmul.withBias(park[t + a * 3 * L], bias, r0 + first + a);
                }
            }
        }
    }

    /** Columns {@code [k0, k1)} of a panel of 7 weight rows × 3 vectors of packed input rows, accumulators parked at {@code park[p..)}. */
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
        for (int k = k0, i = wo + k0 * PANEL, o = xo + k0 * BLOCK; k < k1; k++, i += PANEL, o += BLOCK) {
            FloatVector v0 = FloatVector.fromArray(F, xt, o);
            FloatVector v1 = FloatVector.fromArray(F, xt, o + L);
            FloatVector v2 = FloatVector.fromArray(F, xt, o + 2 * L);
            FloatVector u = FloatVector.broadcast(F, w[i]);
            a00 = u.fma(v0, a00); a01 = u.fma(v1, a01); a02 = u.fma(v2, a02);
            u = FloatVector.broadcast(F, w[i + 1]);
            a10 = u.fma(v0, a10); a11 = u.fma(v1, a11); a12 = u.fma(v2, a12);
            u = FloatVector.broadcast(F, w[i + 2]);
            a20 = u.fma(v0, a20); a21 = u.fma(v1, a21); a22 = u.fma(v2, a22);
            u = FloatVector.broadcast(F, w[i + 3]);
            a30 = u.fma(v0, a30); a31 = u.fma(v1, a31); a32 = u.fma(v2, a32);
            u = FloatVector.broadcast(F, w[i + 4]);
            a40 = u.fma(v0, a40); a41 = u.fma(v1, a41); a42 = u.fma(v2, a42);
            u = FloatVector.broadcast(F, w[i + 5]);
            a50 = u.fma(v0, a50); a51 = u.fma(v1, a51); a52 = u.fma(v2, a52);
            u = FloatVector.broadcast(F, w[i + 6]);
            a60 = u.fma(v0, a60); a61 = u.fma(v1, a61); a62 = u.fma(v2, a62);
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
    }

    /** Columns {@code [k0, k1)} of a panel of 7 weight rows × 2 vectors of packed input rows, accumulators parked at {@code park[p..)}. */
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
        for (int k = k0, i = wo + k0 * PANEL, o = xo + k0 * BLOCK; k < k1; k++, i += PANEL, o += BLOCK) {
            FloatVector v0 = FloatVector.fromArray(F, xt, o);
            FloatVector v1 = FloatVector.fromArray(F, xt, o + L);
            FloatVector u = FloatVector.broadcast(F, w[i]);
            a00 = u.fma(v0, a00); a01 = u.fma(v1, a01);
            u = FloatVector.broadcast(F, w[i + 1]);
            a10 = u.fma(v0, a10); a11 = u.fma(v1, a11);
            u = FloatVector.broadcast(F, w[i + 2]);
            a20 = u.fma(v0, a20); a21 = u.fma(v1, a21);
            u = FloatVector.broadcast(F, w[i + 3]);
            a30 = u.fma(v0, a30); a31 = u.fma(v1, a31);
            u = FloatVector.broadcast(F, w[i + 4]);
            a40 = u.fma(v0, a40); a41 = u.fma(v1, a41);
            u = FloatVector.broadcast(F, w[i + 5]);
            a50 = u.fma(v0, a50); a51 = u.fma(v1, a51);
            u = FloatVector.broadcast(F, w[i + 6]);
            a60 = u.fma(v0, a60); a61 = u.fma(v1, a61);
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
    }

    /** Columns {@code [k0, k1)} of a panel of 7 weight rows × 1 vector of packed input rows, accumulators parked at {@code park[p..)}. */
    private static void tile1(float[] w, int wo, float[] xt, int xo, int k0, int k1, float[] park, int p) {
        FloatVector a00 = FloatVector.fromArray(F, park, p + 0 * L);
        FloatVector a10 = FloatVector.fromArray(F, park, p + 3 * L);
        FloatVector a20 = FloatVector.fromArray(F, park, p + 6 * L);
        FloatVector a30 = FloatVector.fromArray(F, park, p + 9 * L);
        FloatVector a40 = FloatVector.fromArray(F, park, p + 12 * L);
        FloatVector a50 = FloatVector.fromArray(F, park, p + 15 * L);
        FloatVector a60 = FloatVector.fromArray(F, park, p + 18 * L);
        for (int k = k0, i = wo + k0 * PANEL, o = xo + k0 * BLOCK; k < k1; k++, i += PANEL, o += BLOCK) {
            FloatVector v0 = FloatVector.fromArray(F, xt, o);
            FloatVector u = FloatVector.broadcast(F, w[i]);
            a00 = u.fma(v0, a00);
            u = FloatVector.broadcast(F, w[i + 1]);
            a10 = u.fma(v0, a10);
            u = FloatVector.broadcast(F, w[i + 2]);
            a20 = u.fma(v0, a20);
            u = FloatVector.broadcast(F, w[i + 3]);
            a30 = u.fma(v0, a30);
            u = FloatVector.broadcast(F, w[i + 4]);
            a40 = u.fma(v0, a40);
            u = FloatVector.broadcast(F, w[i + 5]);
            a50 = u.fma(v0, a50);
            u = FloatVector.broadcast(F, w[i + 6]);
            a60 = u.fma(v0, a60);
        }
        a00.intoArray(park, p + 0 * L);
        a10.intoArray(park, p + 3 * L);
        a20.intoArray(park, p + 6 * L);
        a30.intoArray(park, p + 9 * L);
        a40.intoArray(park, p + 12 * L);
        a50.intoArray(park, p + 15 * L);
        a60.intoArray(park, p + 18 * L);
    }
}
