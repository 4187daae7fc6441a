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
}
