package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.B;
import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

/**
 * int8 weights with one fp32 scale per block of {@value #BLOCK} consecutive weights of a row
 * (symmetric: {@code w ≈ q · scale}, {@code scale = max|w| / 127} over the block): 1 + 4/64 bytes per
 * weight. Quantized once at load from any other format; the products are computed in fp32. Both
 * arrays live off the heap, in the arena given at allocation (so a 6B model needs no huge Java heap).
 */
public final class Q8Matrix implements WeightMatrix {

    public static final int BLOCK = 64;

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(Simd.LE);

    private final MemorySegment q;      // [rows, cols] int8
    private final MemorySegment scales; // [rows, blocksPerRow] fp32
    private final int rows;
    private final int cols;
    private final int blocksPerRow;

    private Q8Matrix(int rows, int cols, Arena arena) {
        this.rows = rows;
        this.cols = cols;
        this.blocksPerRow = (cols + BLOCK - 1) / BLOCK;
        this.q = arena.allocate((long) rows * cols, 64);
        this.scales = arena.allocate(4L * rows * blocksPerRow, 64);
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
                scales.set(FLOAT, 4L * ((long) r * blocksPerRow + blk), scale);
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
        return q.byteSize() + scales.byteSize();
    }

    @Override
    public double bytesPerWeight() {
        return 1 + 4.0 / BLOCK;
    }

    @Override
    public float get(int r, int c) {
        return q.get(ValueLayout.JAVA_BYTE, (long) r * cols + c) * scale(r * (long) blocksPerRow + c / BLOCK);
    }

    @Override
    public void readRow(int r, float[] dst, int off) {
        for (int c = 0; c < cols; c++) {
            dst[off + c] = get(r, c);
        }
    }

    @Override
    public void multiply(float[] x, int n, float[] y, float[] bias, int r0, int r1) {
        float[] lanes = new float[L];
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            for (int r = r0; r < r1; r++) {
                dot4(r, x, i, y, bias, lanes);
            }
        }
        for (; i < n; i++) {
            for (int r = r0; r < r1; r++) {
                float s = dot1(r, x, i * cols, lanes);
                y[i * rows + r] = bias == null ? s : s + bias[r];
            }
        }
    }

    // Canonical order per output: each full block's products go into a fresh vector s; s·scale is
    // added to accumulator a (even blocks) or b (odd blocks). A final partial block adds its full
    // vectors into a and its scalar tail separately. Lanes of a + b are summed by Simd.sum.

    private float scale(long index) {
        return scales.get(FLOAT, 4L * index);
    }

    private ByteVector load(long offset) {
        return ByteVector.fromMemorySegment(B, q, offset, Simd.LE);
    }

    private FloatVector block1(long qo, float[] x, int xo, float scale, FloatVector acc) {
        FloatVector s = FloatVector.zero(F);
        for (int v = 0; v < BLOCK; v += L) {
            s = Simd.bytesToFloat(load(qo + v)).fma(FloatVector.fromArray(F, x, xo + v), s);
        }
        return s.fma(FloatVector.broadcast(F, scale), acc);
    }

    private float dot1(int r, float[] x, int xo, float[] lanes) {
        long qb = (long) r * cols;
        long sb = (long) r * blocksPerRow;
        FloatVector a = FloatVector.zero(F);
        FloatVector b = FloatVector.zero(F);
        int c = 0;
        int blk = 0;
        for (; c + 2 * BLOCK <= cols; c += 2 * BLOCK, blk += 2) {
            a = block1(qb + c, x, xo + c, scale(sb + blk), a);
            b = block1(qb + c + BLOCK, x, xo + c + BLOCK, scale(sb + blk + 1), b);
        }
        if (c + BLOCK <= cols) {
            a = block1(qb + c, x, xo + c, scale(sb + blk), a);
            c += BLOCK;
            blk++;
        }
        float tail = 0;
        if (c < cols) {
            float scale = scale(sb + blk);
            FloatVector s = FloatVector.zero(F);
            for (; c + L <= cols; c += L) {
                s = Simd.bytesToFloat(load(qb + c)).fma(FloatVector.fromArray(F, x, xo + c), s);
            }
            a = s.fma(FloatVector.broadcast(F, scale), a);
            for (; c < cols; c++) {
                tail += q.get(ValueLayout.JAVA_BYTE, qb + c) * x[xo + c];
            }
            tail *= scale;
        }
        return Simd.sum(a.add(b), lanes) + tail;
    }

    private void dot4(int r, float[] x, int i, float[] y, float[] bias, float[] lanes) {
        long qb = (long) r * cols;
        long sb = (long) r * blocksPerRow;
        int x0 = i * cols;
        int x1 = x0 + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector b0 = a0;
        FloatVector a1 = a0;
        FloatVector b1 = a0;
        FloatVector a2 = a0;
        FloatVector b2 = a0;
        FloatVector a3 = a0;
        FloatVector b3 = a0;
        int c = 0;
        int blk = 0;
        for (; c + BLOCK <= cols; c += BLOCK, blk++) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int v = c; v < c + BLOCK; v += L) {
                FloatVector wv = Simd.bytesToFloat(load(qb + v));
                s0 = wv.fma(FloatVector.fromArray(F, x, x0 + v), s0);
                s1 = wv.fma(FloatVector.fromArray(F, x, x1 + v), s1);
                s2 = wv.fma(FloatVector.fromArray(F, x, x2 + v), s2);
                s3 = wv.fma(FloatVector.fromArray(F, x, x3 + v), s3);
            }
            float scale = scale(sb + blk);
            if ((blk & 1) == 0) {
                a0 = s0.fma(FloatVector.broadcast(F, scale), a0);
                a1 = s1.fma(FloatVector.broadcast(F, scale), a1);
                a2 = s2.fma(FloatVector.broadcast(F, scale), a2);
                a3 = s3.fma(FloatVector.broadcast(F, scale), a3);
            } else {
                b0 = s0.fma(FloatVector.broadcast(F, scale), b0);
                b1 = s1.fma(FloatVector.broadcast(F, scale), b1);
                b2 = s2.fma(FloatVector.broadcast(F, scale), b2);
                b3 = s3.fma(FloatVector.broadcast(F, scale), b3);
            }
        }
        float t0 = 0;
        float t1 = 0;
        float t2 = 0;
        float t3 = 0;
        if (c < cols) {
            float scale = scale(sb + blk);
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (; c + L <= cols; c += L) {
                FloatVector wv = Simd.bytesToFloat(load(qb + c));
                s0 = wv.fma(FloatVector.fromArray(F, x, x0 + c), s0);
                s1 = wv.fma(FloatVector.fromArray(F, x, x1 + c), s1);
                s2 = wv.fma(FloatVector.fromArray(F, x, x2 + c), s2);
                s3 = wv.fma(FloatVector.fromArray(F, x, x3 + c), s3);
            }
            a0 = s0.fma(FloatVector.broadcast(F, scale), a0);
            a1 = s1.fma(FloatVector.broadcast(F, scale), a1);
            a2 = s2.fma(FloatVector.broadcast(F, scale), a2);
            a3 = s3.fma(FloatVector.broadcast(F, scale), a3);
            for (; c < cols; c++) {
                float wc = q.get(ValueLayout.JAVA_BYTE, qb + c);
                t0 += wc * x[x0 + c];
                t1 += wc * x[x1 + c];
                t2 += wc * x[x2 + c];
                t3 += wc * x[x3 + c];
            }
            t0 *= scale;
            t1 *= scale;
            t2 *= scale;
            t3 *= scale;
        }
        float bb = bias == null ? 0 : bias[r];
        int yo = i * rows + r;
        y[yo] = finish(a0.add(b0), t0, bias, bb, lanes);
        y[yo + rows] = finish(a1.add(b1), t1, bias, bb, lanes);
        y[yo + 2 * rows] = finish(a2.add(b2), t2, bias, bb, lanes);
        y[yo + 3 * rows] = finish(a3.add(b3), t3, bias, bb, lanes);
    }

    private static float finish(FloatVector acc, float tail, float[] bias, float bb, float[] lanes) {
        float s = Simd.sum(acc, lanes) + tail;
        return bias == null ? s : s + bb;
    }
}
