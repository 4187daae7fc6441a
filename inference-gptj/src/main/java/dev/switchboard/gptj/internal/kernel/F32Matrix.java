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

    // Canonical order per output: lane accumulators a (even vector steps) and b (odd), one more vector
    // into a when a single one is left, lanes summed by Simd.sum(a + b), then the scalar tail.

    private float dot1(int r, float[] x, int xo, float[] lanes) {
        long base = 4L * r * cols;
        FloatVector a = FloatVector.zero(F);
        FloatVector b = FloatVector.zero(F);
        int c = 0;
        for (; c + 2 * L <= cols; c += 2 * L) {
            a = FloatVector.fromMemorySegment(F, w, base + 4L * c, LE).fma(FloatVector.fromArray(F, x, xo + c), a);
            b = FloatVector.fromMemorySegment(F, w, base + 4L * (c + L), LE).fma(FloatVector.fromArray(F, x, xo + c + L), b);
        }
        if (c + L <= cols) {
            a = FloatVector.fromMemorySegment(F, w, base + 4L * c, LE).fma(FloatVector.fromArray(F, x, xo + c), a);
            c += L;
        }
        float s = Simd.sum(a.add(b), lanes);
        for (; c < cols; c++) {
            s += w.get(FLOAT, base + 4L * c) * x[xo + c];
        }
        return s;
    }

    private void dot4(int r, float[] x, int i, float[] y, float[] bias, float[] lanes) {
        long base = 4L * r * cols;
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
        for (; c + 2 * L <= cols; c += 2 * L) {
            FloatVector wa = FloatVector.fromMemorySegment(F, w, base + 4L * c, LE);
            FloatVector wb = FloatVector.fromMemorySegment(F, w, base + 4L * (c + L), LE);
            a0 = wa.fma(FloatVector.fromArray(F, x, x0 + c), a0);
            b0 = wb.fma(FloatVector.fromArray(F, x, x0 + c + L), b0);
            a1 = wa.fma(FloatVector.fromArray(F, x, x1 + c), a1);
            b1 = wb.fma(FloatVector.fromArray(F, x, x1 + c + L), b1);
            a2 = wa.fma(FloatVector.fromArray(F, x, x2 + c), a2);
            b2 = wb.fma(FloatVector.fromArray(F, x, x2 + c + L), b2);
            a3 = wa.fma(FloatVector.fromArray(F, x, x3 + c), a3);
            b3 = wb.fma(FloatVector.fromArray(F, x, x3 + c + L), b3);
        }
        if (c + L <= cols) {
            FloatVector wa = FloatVector.fromMemorySegment(F, w, base + 4L * c, LE);
            a0 = wa.fma(FloatVector.fromArray(F, x, x0 + c), a0);
            a1 = wa.fma(FloatVector.fromArray(F, x, x1 + c), a1);
            a2 = wa.fma(FloatVector.fromArray(F, x, x2 + c), a2);
            a3 = wa.fma(FloatVector.fromArray(F, x, x3 + c), a3);
            c += L;
        }
        float s0 = Simd.sum(a0.add(b0), lanes);
        float s1 = Simd.sum(a1.add(b1), lanes);
        float s2 = Simd.sum(a2.add(b2), lanes);
        float s3 = Simd.sum(a3.add(b3), lanes);
        for (; c < cols; c++) {
            float wc = w.get(FLOAT, base + 4L * c);
            s0 += wc * x[x0 + c];
            s1 += wc * x[x1 + c];
            s2 += wc * x[x2 + c];
            s3 += wc * x[x3 + c];
        }
        float bb = bias == null ? 0 : bias[r];
        int yo = i * rows + r;
        y[yo] = bias == null ? s0 : s0 + bb;
        y[yo + rows] = bias == null ? s1 : s1 + bb;
        y[yo + 2 * rows] = bias == null ? s2 : s2 + bb;
        y[yo + 3 * rows] = bias == null ? s3 : s3 + bb;
    }
}
