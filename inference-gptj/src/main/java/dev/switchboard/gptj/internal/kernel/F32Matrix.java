package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;
import static dev.switchboard.gptj.internal.kernel.Simd.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;

/** fp32 weights read straight from the mapped checkpoint (no copy). */
public final class F32Matrix implements WeightMatrix {

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    private final MemorySegment w; // [rows, cols] little-endian fp32
    private final int rows;
    private final int cols;

    public F32Matrix(MemorySegment w, int rows, int cols) {
        if (w.byteSize() != 4L * rows * cols) {
            throw new IllegalArgumentException("segment of " + w.byteSize() + " bytes is not [" + rows + ", " + cols + "] fp32");
        }
        this.w = w;
        this.rows = rows;
        this.cols = cols;
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
        return w.byteSize();
    }

    @Override
    public double bytesPerWeight() {
        return 4;
    }

    @Override
    public float get(int r, int c) {
        return w.get(FLOAT, 4L * ((long) r * cols + c));
    }

    @Override
    public void readRow(int r, float[] dst, int off) {
        MemorySegment.copy(w, FLOAT, 4L * r * cols, dst, off, cols);
    }

    @Override
    public void readRows(int r0, int r1, float[] dst) {
        MemorySegment.copy(w, FLOAT, 4L * r0 * cols, dst, 0, (r1 - r0) * cols);
    }

    @Override
    public float dot(int r, float[] x, int xo, float[] lanes) {
        long base = 4L * r * cols;
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c + L <= cols; c += L) {
            acc = FloatVector.fromMemorySegment(F, w, base + 4L * c, LE).fma(FloatVector.fromArray(F, x, xo + c), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; c < cols; c++) {
            s += w.get(FLOAT, base + 4L * c) * x[xo + c];
        }
        return s;
    }

    @Override
    public void dot4(int r, int stride, float[] x, int xo, float[] out, float[] lanes) {
        long step = 4L * stride * cols;
        long b0 = 4L * r * cols;
        long b1 = b0 + step;
        long b2 = b1 + step;
        long b3 = b2 + step;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int c = 0;
        for (; c + L <= cols; c += L) {
            FloatVector v = FloatVector.fromArray(F, x, xo + c);
            a0 = FloatVector.fromMemorySegment(F, w, b0 + 4L * c, LE).fma(v, a0);
            a1 = FloatVector.fromMemorySegment(F, w, b1 + 4L * c, LE).fma(v, a1);
            a2 = FloatVector.fromMemorySegment(F, w, b2 + 4L * c, LE).fma(v, a2);
            a3 = FloatVector.fromMemorySegment(F, w, b3 + 4L * c, LE).fma(v, a3);
        }
        out[0] = tail(Simd.sum(a0, lanes), b0, x, xo, c);
        out[1] = tail(Simd.sum(a1, lanes), b1, x, xo, c);
        out[2] = tail(Simd.sum(a2, lanes), b2, x, xo, c);
        out[3] = tail(Simd.sum(a3, lanes), b3, x, xo, c);
    }

    /**
     * Rows {@code r + k·stride} (k = 0..3) × input rows at {@code xo} (4, {@code cols} apart), straight from
     * the mapped weights; the 16 accumulators (row-major) to {@code sums}. Rows of whole vectors only (see
     * {@link Matmul#multiplyDirect}).
     */
    void tile4x4(int r, int stride, float[] x, int xo, float[] sums) {
        MemorySegment w = this.w;
        long step = 4L * stride * cols;
        long b0 = 4L * r * cols;
        long b1 = b0 + step;
        long b2 = b1 + step;
        long b3 = b2 + step;
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
            long o = 4L * c;
            FloatVector v0 = FloatVector.fromArray(F, x, x0 + c);
            FloatVector v1 = FloatVector.fromArray(F, x, x1 + c);
            FloatVector v2 = FloatVector.fromArray(F, x, x2 + c);
            FloatVector v3 = FloatVector.fromArray(F, x, x3 + c);
            FloatVector u = FloatVector.fromMemorySegment(F, w, b0 + o, LE);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            a02 = u.fma(v2, a02);
            a03 = u.fma(v3, a03);
            u = FloatVector.fromMemorySegment(F, w, b1 + o, LE);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            a12 = u.fma(v2, a12);
            a13 = u.fma(v3, a13);
            u = FloatVector.fromMemorySegment(F, w, b2 + o, LE);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            a22 = u.fma(v2, a22);
            a23 = u.fma(v3, a23);
            u = FloatVector.fromMemorySegment(F, w, b3 + o, LE);
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

    private float tail(float s, long base, float[] x, int xo, int from) {
        for (int c = from; c < cols; c++) {
            s += w.get(FLOAT, base + 4L * c) * x[xo + c];
        }
        return s;
    }
}
