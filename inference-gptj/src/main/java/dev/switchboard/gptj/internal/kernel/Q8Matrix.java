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
 * {@code (float) q * scale} (see {@link #dot} for the order of the arithmetic). The int8 values live
 * off the heap, in the arena given at allocation, so a 6B model needs no huge Java heap.
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

    // Canonical order of every output (dot and tiles alike): per full block of 64, a fresh vector s
    // takes the fused products q·x of its vectors in order; then acc = s·scale + acc. A last, partial
    // block adds its full vectors the same way and its remaining weights as a scalar sum t = Σ q·x.
    // Result: Simd.sum(acc) + t·scale (+ bias). Scaling once per block, not per weight, halves the work.

    @Override
    public float dot(int r, float[] x, int xo, float[] lanes) {
        long base = (long) r * cols;
        FloatVector acc = FloatVector.zero(F);
        FloatVector zero = acc;
        int c = 0;
        int blk = 0;
        int si = r * blocksPerRow;
        if (L == 16) {
            // the usual AVX-512 case: a block's four loads written out, no inner loop (JMH Int8VariantsBenchmark.oneRow)
            MemorySegment q = this.q;
            float[] scales = this.scales;
            int full = cols / BLOCK;
            for (; blk < full; blk++) {
                long o = base + (long) blk * BLOCK;
                int xc = xo + blk * BLOCK;
                FloatVector s = load(q, o).fma(FloatVector.fromArray(F, x, xc), zero);
                s = load(q, o + 16).fma(FloatVector.fromArray(F, x, xc + 16), s);
                s = load(q, o + 32).fma(FloatVector.fromArray(F, x, xc + 32), s);
                s = load(q, o + 48).fma(FloatVector.fromArray(F, x, xc + 48), s);
                acc = s.fma(FloatVector.broadcast(F, scales[si + blk]), acc);
            }
            c = full * BLOCK;
        } else {
            for (; c + BLOCK <= cols; c += BLOCK, blk++) {
                FloatVector s = zero;
                for (int v = 0; v < BLOCK; v += L) {
                    s = load(base + c + v).fma(FloatVector.fromArray(F, x, xo + c + v), s);
                }
                acc = s.fma(FloatVector.broadcast(F, scales[si + blk]), acc);
            }
        }
        float tail = 0;
        if (c < cols) {
            float scale = scale(r, blk);
            FloatVector s = FloatVector.zero(F);
            for (; c + L <= cols; c += L) {
                s = load(base + c).fma(FloatVector.fromArray(F, x, xo + c), s);
            }
            acc = s.fma(FloatVector.broadcast(F, scale), acc);
            for (; c < cols; c++) {
                tail += quant(base + c) * x[xo + c];
            }
            tail *= scale;
        }
        return Simd.sum(acc, lanes) + tail;
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
        FloatVector zero = FloatVector.zero(F);
        FloatVector accA = zero;
        FloatVector accB = zero;
        for (int blk = 0; blk < blocksPerRow; blk++) {
            int xc = xo + blk * BLOCK;
            long o = (long) blk * BLOCK;
            FloatVector x0 = FloatVector.fromArray(F, x, xc);
            FloatVector s = load(q, ba + o).fma(x0, zero);
            FloatVector t = load(q, bb + o).fma(x0, zero);
            FloatVector x1 = FloatVector.fromArray(F, x, xc + 16);
            s = load(q, ba + o + 16).fma(x1, s);
            t = load(q, bb + o + 16).fma(x1, t);
            FloatVector x2 = FloatVector.fromArray(F, x, xc + 32);
            s = load(q, ba + o + 32).fma(x2, s);
            t = load(q, bb + o + 32).fma(x2, t);
            FloatVector x3 = FloatVector.fromArray(F, x, xc + 48);
            s = load(q, ba + o + 48).fma(x3, s);
            t = load(q, bb + o + 48).fma(x3, t);
            accA = s.fma(FloatVector.broadcast(F, scales[sa + blk]), accA);
            accB = t.fma(FloatVector.broadcast(F, scales[sb + blk]), accB);
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

    /** The scalar part of a partial last block: {@code Σ q·x · scale} from column {@code from}; 0 if none. */
    private float tail(int r, long base, float[] x, int xo, int from, int blk) {
        if (from >= cols) {
            return 0;
        }
        float t = 0;
        for (int c = from; c < cols; c++) {
            t += quant(base + c) * x[xo + c];
        }
        return t * scale(r, blk);
    }

    /**
     * Output features {@code [r0, r1)} of {@code n} input rows (see {@link Matmul#multiply}): for fewer
     * than 4 rows one {@link #dot2} per two outputs (rows half the range apart), else tiles of 2 weight rows × 4 input rows that
     * widen each int8 vector once for 4 inputs, straight from the quantized weights.
     */
    public void multiply(float[] x, int n, float[] y, float[] bias, int r0, int r1, float[] lanes) {
        int i = 0;
        float[] sums = n >= 4 ? new float[8 * L] : null; // a tile's 8 accumulators, spilled (see tile2x4)
        for (; n >= 4 && i + 4 <= n; i += 4) {
            int r = r0;
            for (; r + 2 <= r1; r += 2) {
                tile2x4(r, x, i, y, bias, lanes, sums);
            }
            for (; r < r1; r++) {
                for (int j = i; j < i + 4; j++) {
                    y[j * rows + r] = withBias(dot(r, x, j * cols, lanes), bias, r);
                }
            }
        }
        float[] two = new float[2];
        int half = (r1 - r0) / 2;
        for (; i < n; i++) { // two streams: the first and the second half of the rows (see dot2)
            for (int j = 0; j < half; j++) {
                int ra = r0 + j;
                int rb = ra + half;
                dot2(ra, rb, x, i * cols, two, lanes);
                y[i * rows + ra] = withBias(two[0], bias, ra);
                y[i * rows + rb] = withBias(two[1], bias, rb);
            }
            if (r0 + 2 * half < r1) {
                y[i * rows + r1 - 1] = withBias(dot(r1 - 1, x, i * cols, lanes), bias, r1 - 1);
            }
        }
    }

    private static float withBias(float s, float[] bias, int r) {
        return bias == null ? s : s + bias[r];
    }

    /**
     * Weight rows {@code r, r+1} times input rows {@code i..i+3}. The 8 accumulators go through
     * {@code sums} (8·L floats) to {@link #finish}: C2 does not inline its 8 calls here, and a vector
     * passed to a call that is not inlined is boxed (one heap vector per output). Same lanes, same sum.
     */
    private void tile2x4(int r, float[] x, int i, float[] y, float[] bias, float[] lanes, float[] sums) {
        long b0 = (long) r * cols;
        long b1 = b0 + cols;
        int x0 = i * cols;
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
        int c = 0;
        int blk = 0;
        while (c < cols) {
            int end = Math.min(cols, c + BLOCK);
            boolean full = end - c == BLOCK;
            FloatVector s00 = FloatVector.zero(F);
            FloatVector s01 = s00;
            FloatVector s02 = s00;
            FloatVector s03 = s00;
            FloatVector s10 = s00;
            FloatVector s11 = s00;
            FloatVector s12 = s00;
            FloatVector s13 = s00;
            for (; c + L <= end; c += L) {
                FloatVector v0 = FloatVector.fromArray(F, x, x0 + c);
                FloatVector v1 = FloatVector.fromArray(F, x, x1 + c);
                FloatVector v2 = FloatVector.fromArray(F, x, x2 + c);
                FloatVector v3 = FloatVector.fromArray(F, x, x3 + c);
                FloatVector w = load(b0 + c);
                s00 = w.fma(v0, s00);
                s01 = w.fma(v1, s01);
                s02 = w.fma(v2, s02);
                s03 = w.fma(v3, s03);
                w = load(b1 + c);
                s10 = w.fma(v0, s10);
                s11 = w.fma(v1, s11);
                s12 = w.fma(v2, s12);
                s13 = w.fma(v3, s13);
            }
            FloatVector k0 = FloatVector.broadcast(F, scale(r, blk));
            FloatVector k1 = FloatVector.broadcast(F, scale(r + 1, blk));
            a00 = s00.fma(k0, a00);
            a01 = s01.fma(k0, a01);
            a02 = s02.fma(k0, a02);
            a03 = s03.fma(k0, a03);
            a10 = s10.fma(k1, a10);
            a11 = s11.fma(k1, a11);
            a12 = s12.fma(k1, a12);
            a13 = s13.fma(k1, a13);
            if (!full) {
                break; // the partial last block: its scalar tail is added per output below
            }
            blk++;
        }
        int tail = c;
        a00.intoArray(sums, 0 * L);
        a01.intoArray(sums, 1 * L);
        a02.intoArray(sums, 2 * L);
        a03.intoArray(sums, 3 * L);
        a10.intoArray(sums, 4 * L);
        a11.intoArray(sums, 5 * L);
        a12.intoArray(sums, 6 * L);
        a13.intoArray(sums, 7 * L);
        finish(y, i, r, bias, sums, 0, b0, x, x0, tail, blk, lanes);
        finish(y, i + 1, r, bias, sums, 1, b0, x, x1, tail, blk, lanes);
        finish(y, i + 2, r, bias, sums, 2, b0, x, x2, tail, blk, lanes);
        finish(y, i + 3, r, bias, sums, 3, b0, x, x3, tail, blk, lanes);
        finish(y, i, r + 1, bias, sums, 4, b1, x, x0, tail, blk, lanes);
        finish(y, i + 1, r + 1, bias, sums, 5, b1, x, x1, tail, blk, lanes);
        finish(y, i + 2, r + 1, bias, sums, 6, b1, x, x2, tail, blk, lanes);
        finish(y, i + 3, r + 1, bias, sums, 7, b1, x, x3, tail, blk, lanes);
    }

    /** One output of a tile: lane sum of accumulator {@code k} in {@code sums}, the partial block's scalar tail (if any), bias. */
    private void finish(float[] y, int i, int r, float[] bias, float[] sums, int k, long base, float[] x, int xo,
            int tail, int blk, float[] lanes) {
        FloatVector acc = FloatVector.fromArray(F, sums, k * L);
        y[i * rows + r] = withBias(Simd.sum(acc, lanes) + tail(r, base, x, xo, tail, blk), bias, r);
    }
}
