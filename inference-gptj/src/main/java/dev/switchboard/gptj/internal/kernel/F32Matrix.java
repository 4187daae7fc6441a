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

    private float tail(float s, long base, float[] x, int xo, int from) {
        for (int c = from; c < cols; c++) {
            s += w.get(FLOAT, base + 4L * c) * x[xo + c];
        }
        return s;
    }
}
