package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.B;
import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;
import static dev.switchboard.gptj.internal.kernel.Simd.LE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * int8 weights with one fp32 scale per block of {@value #BLOCK} consecutive weights of a row
 * (symmetric: {@code w ≈ q · scale}, {@code scale = max|w| / 127} over the block): 1 + 4/64 bytes per
 * weight. Quantized once at load from any other format. A weight widens to the fp32 product
 * {@code (float) q * scale}, and every kernel multiplies exactly those values in {@link Matmul}'s
 * canonical fp32 order, so int8 goes through the same prefill tiles as the float formats
 * ({@link #readRows} widens, {@link Matmul} multiplies), and its own kernels for decode ({@link #dot},
 * {@link #dot2}) and small batches ({@link #tile4x4}) agree with them to the bit. The int8 values live off the heap, in the arena given at
 * allocation, so a 6B model needs no huge Java heap.
 */
public final class Q8Matrix implements WeightMatrix {

    public static final int BLOCK = 64;

    private final MemorySegment q; // [rows, cols] int8, off the heap
    private final float[] scales;  // [rows, blocksPerRow] (1/64 of the weights; a heap array reads fastest)
    private final int rows;
    private final int cols;
    private final int blocksPerRow;

    private Q8Matrix(int rows, int cols, Arena arena) {
        this.rows = rows;
        this.cols = cols;
        this.blocksPerRow = (cols + BLOCK - 1) / BLOCK;
        this.q = arena.allocate((long) rows * cols, 64);
        this.scales = new float[Math.multiplyExact(rows, blocksPerRow)];
    }

    /** An all-zero matrix in {@code arena}; fill it with {@link #quantizeRows}. */
    public static Q8Matrix allocate(int rows, int cols, Arena arena) {
        return new Q8Matrix(rows, cols, arena);
    }

    /** Quantizes rows {@code [r0, r1)} of {@code src} (same shape) into this matrix; threads may fill disjoint ranges. */
    public void quantizeRows(WeightMatrix src, int r0, int r1) {
        float[] row = new float[cols];
        for (int r = r0; r < r1; r++) {
            src.readRow(r, row, 0);
            for (int blk = 0; blk < blocksPerRow; blk++) {
                int c0 = blk * BLOCK;
                int c1 = Math.min(cols, c0 + BLOCK);
                float max = 0;
                for (int c = c0; c < c1; c++) {
                    max = Math.max(max, Math.abs(row[c]));
                }
                float scale = max / 127f;
                scales[r * blocksPerRow + blk] = scale;
                float inv = scale == 0 ? 0 : 1f / scale;
                for (int c = c0; c < c1; c++) {
                    q.set(ValueLayout.JAVA_BYTE, (long) r * cols + c, (byte) Math.round(row[c] * inv));
                }
            }
        }
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public long bytes() {
        return q.byteSize() + 4L * scales.length;
    }

    @Override
    public double bytesPerWeight() {
        return 1 + 4.0 / BLOCK;
    }

    private float scale(int r, int blk) {
        return scales[r * blocksPerRow + blk];
    }

    private byte quant(long index) {
        return q.get(ValueLayout.JAVA_BYTE, index);
    }

    @Override
    public float get(int r, int c) {
        return quant((long) r * cols + c) * scale(r, c / BLOCK);
    }

    @Override
    public void readRow(int r, float[] dst, int off) {
        long base = (long) r * cols;
        for (int blk = 0; blk < blocksPerRow; blk++) {
            float scale = scale(r, blk);
            FloatVector sv = FloatVector.broadcast(F, scale);
            int c = blk * BLOCK;
            int end = Math.min(cols, c + BLOCK);
            for (; c + L <= end; c += L) {
                Simd.bytesToFloat(ByteVector.fromMemorySegment(B, q, base + c, LE)).mul(sv).intoArray(dst, off + c);
            }
            for (; c < end; c++) {
                dst[off + c] = quant(base + c) * scale;
            }
        }
    }

    @Override
    public void readRows(int r0, int r1, float[] dst) {
        for (int r = r0; r < r1; r++) {
            readRow(r, dst, (r - r0) * cols);
        }
    }

    private static FloatVector load(MemorySegment q, long index) {
        return Simd.bytesToFloat(ByteVector.fromMemorySegment(B, q, index, LE));
    }

    private FloatVector load(long index) {
        return Simd.bytesToFloat(ByteVector.fromMemorySegment(B, q, index, LE));
    }

    // Canonical order of every output (Matmul's): one vector accumulator; for each full vector of the row,
    // acc = ((float) q · scale of its block) · x + acc, fused; lanes summed by Simd.sum; then the remaining
    // weights one by one, s += ((float) q · scale) · x. The widened weight is the value readRow produces.

    @Override
    public float dot(int r, float[] x, int xo, float[] lanes) {
        long base = (long) r * cols;
        FloatVector acc = FloatVector.zero(F);
        int si = r * blocksPerRow;
        int c = 0;
        if (L == 16) {
            // the usual AVX-512 case: a block's four vectors written out, one scale broadcast per block
            MemorySegment q = this.q;
            float[] scales = this.scales;
            int full = cols / BLOCK;
            for (int blk = 0; blk < full; blk++) {
                long o = base + (long) blk * BLOCK;
                int xc = xo + blk * BLOCK;
                FloatVector sv = FloatVector.broadcast(F, scales[si + blk]);
                acc = load(q, o).mul(sv).fma(FloatVector.fromArray(F, x, xc), acc);
                acc = load(q, o + 16).mul(sv).fma(FloatVector.fromArray(F, x, xc + 16), acc);
                acc = load(q, o + 32).mul(sv).fma(FloatVector.fromArray(F, x, xc + 32), acc);
                acc = load(q, o + 48).mul(sv).fma(FloatVector.fromArray(F, x, xc + 48), acc);
            }
            c = full * BLOCK;
        }
        for (; c + L <= cols; c += L) {
            FloatVector sv = FloatVector.broadcast(F, scales[si + c / BLOCK]);
            acc = load(base + c).mul(sv).fma(FloatVector.fromArray(F, x, xo + c), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; c < cols; c++) {
            s += quant(base + c) * scales[si + c / BLOCK] * x[xo + c];
        }
        return s;
    }

    /**
     * {@link #dot} of rows {@code ra} and {@code rb} into {@code out[0..1]}, each bit-identical to its
     * {@code dot}: the same operations on each row, the two rows' blocks interleaved. With the rows far
     * apart (half a block of rows, see {@link #multiply}) this reads two long sequential streams, which
     * the hardware prefetchers keep further ahead than one (JMH {@code Int8VariantsBenchmark.farStreams2}
     * against {@code engineDot}: 6.3 → 9.3 GB/s per thread on the GPU host's Xeon). The AVX-512 case with
     * whole blocks only; otherwise two {@code dot}s.
     */
    public void dot2(int ra, int rb, float[] x, int xo, float[] out, float[] lanes) {
        if (L != 16 || cols % BLOCK != 0) {
            out[0] = dot(ra, x, xo, lanes);
            out[1] = dot(rb, x, xo, lanes);
            return;
        }
        MemorySegment q = this.q;
        float[] scales = this.scales;
        long ba = (long) ra * cols;
        long bb = (long) rb * cols;
        int sa = ra * blocksPerRow;
        int sb = rb * blocksPerRow;
        FloatVector accA = FloatVector.zero(F);
        FloatVector accB = accA;
        for (int blk = 0; blk < blocksPerRow; blk++) {
            int xc = xo + blk * BLOCK;
            long o = (long) blk * BLOCK;
            FloatVector ka = FloatVector.broadcast(F, scales[sa + blk]);
            FloatVector kb = FloatVector.broadcast(F, scales[sb + blk]);
            FloatVector x0 = FloatVector.fromArray(F, x, xc);
            accA = load(q, ba + o).mul(ka).fma(x0, accA);
            accB = load(q, bb + o).mul(kb).fma(x0, accB);
            FloatVector x1 = FloatVector.fromArray(F, x, xc + 16);
            accA = load(q, ba + o + 16).mul(ka).fma(x1, accA);
            accB = load(q, bb + o + 16).mul(kb).fma(x1, accB);
            FloatVector x2 = FloatVector.fromArray(F, x, xc + 32);
            accA = load(q, ba + o + 32).mul(ka).fma(x2, accA);
            accB = load(q, bb + o + 32).mul(kb).fma(x2, accB);
            FloatVector x3 = FloatVector.fromArray(F, x, xc + 48);
            accA = load(q, ba + o + 48).mul(ka).fma(x3, accA);
            accB = load(q, bb + o + 48).mul(kb).fma(x3, accB);
        }
        out[0] = Simd.sum(accA, lanes);
        out[1] = Simd.sum(accB, lanes);
    }

    /** Rows {@code r + k·stride}, k = 0..3, as two {@link #dot2}s (rows 0 and 1, then 2 and 3). */
    @Override
    public void dot4(int r, int stride, float[] x, int xo, float[] out, float[] lanes) {
        float[] two = new float[2];
        dot2(r, r + stride, x, xo, two, lanes);
        out[0] = two[0];
        out[1] = two[1];
        dot2(r + 2 * stride, r + 3 * stride, x, xo, two, lanes);
        out[2] = two[0];
        out[3] = two[1];
    }

    /**
     * Output features {@code [r0, r1)} of {@code n} input rows (see {@link Matmul#multiply}) for decode
     * (fewer than 4 rows; Matmul widens the weights and tiles them for more): one {@link #dot2} per two
     * outputs, the rows half the range apart.
     */
    void multiplyFew(float[] x, int n, float[] y, float[] bias, int r0, int r1, float[] lanes) {
        float[] two = new float[2];
        int half = (r1 - r0) / 2;
        for (int i = 0; i < n; i++) { // two streams: the first and the second half of the rows (see dot2)
            for (int j = 0; j < half; j++) {
                int ra = r0 + j;
                int rb = ra + half;
                dot2(ra, rb, x, i * cols, two, lanes);
                y[i * rows + ra] = Matmul.withBias(two[0], bias, ra);
                y[i * rows + rb] = Matmul.withBias(two[1], bias, rb);
            }
            if (r0 + 2 * half < r1) {
                y[i * rows + r1 - 1] = Matmul.withBias(dot(r1 - 1, x, i * cols, lanes), bias, r1 - 1);
            }
        }
    }

    /**
     * Rows {@code r + k·stride} (k = 0..3) × input rows at {@code xo} (4, {@code cols} apart), each weight
     * vector widened once for the four inputs; the 16 accumulators (row-major) to {@code sums}. The AVX-512
     * shape with whole blocks only (see {@link Matmul#multiplyDirect}).
     */
    void tile4x4(int r, int stride, float[] x, int xo, float[] sums) {
        MemorySegment q = this.q;
        float[] scales = this.scales;
        long step = (long) stride * cols;
        long b0 = (long) r * cols;
        long b1 = b0 + step;
        long b2 = b1 + step;
        long b3 = b2 + step;
        int s0 = r * blocksPerRow;
        int sStep = stride * blocksPerRow;
        int x0 = xo;
        int x1 = x0 + cols;
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
        for (int c = 0; c < cols; c += L) {
            int blk = c / BLOCK;
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + c);
            FloatVector u = load(q, b0 + c).mul(scales[s0 + blk]);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            a02 = u.fma(v2, a02);
            a03 = u.fma(v3, a03);
            u = load(q, b1 + c).mul(scales[s0 + sStep + blk]);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            a12 = u.fma(v2, a12);
            a13 = u.fma(v3, a13);
            u = load(q, b2 + c).mul(scales[s0 + 2 * sStep + blk]);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            a22 = u.fma(v2, a22);
            a23 = u.fma(v3, a23);
            u = load(q, b3 + c).mul(scales[s0 + 3 * sStep + blk]);
            a30 = u.fma(v0, a30);
            a31 = u.fma(v1, a31);
            a32 = u.fma(v2, a32);
            a33 = u.fma(v3, a33);
        }
        a00.intoArray(sums, 0);
        a01.intoArray(sums, L);
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
    }
}
