package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;
import static dev.switchboard.gptj.internal.kernel.Simd.LE;
import static dev.switchboard.gptj.internal.kernel.Simd.S;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;

/** bfloat16 weights read from the mapped checkpoint and widened to fp32 in registers. */
public final class Bf16Matrix implements WeightMatrix {

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    private final MemorySegment w; // [rows, cols] little-endian 16-bit
    private final int rows;
    private final int cols;

    public Bf16Matrix(MemorySegment w, int rows, int cols) {
        if (w.byteSize() != 2L * rows * cols) {
            throw new IllegalArgumentException("segment of " + w.byteSize() + " bytes is not [" + rows + ", " + cols + "] 16-bit");
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
        return 2;
    }

    @Override
    public float get(int r, int c) {
        return Simd.bf16ToFloat(w.get(HALF, 2L * ((long) r * cols + c)));
    }

    @Override
    public void readRow(int r, float[] dst, int off) {
        widen(2L * r * cols, dst, off, cols);
    }

    @Override
    public void readRows(int r0, int r1, float[] dst) {
        widen(2L * r0 * cols, dst, 0, (r1 - r0) * cols);
    }

    private void widen(long from, float[] dst, int off, int count) {
        int i = 0;
        for (; i + L <= count; i += L) {
            Simd.bf16ToFloat(ShortVector.fromMemorySegment(S, w, from + 2L * i, LE)).intoArray(dst, off + i);
        }
        for (; i < count; i++) {
            dst[off + i] = Simd.bf16ToFloat(w.get(HALF, from + 2L * i));
        }
    }

    @Override
    public float dot(int r, float[] x, int xo, float[] lanes) {
        long base = 2L * r * cols;
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c + L <= cols; c += L) {
            acc = Simd.bf16ToFloat(ShortVector.fromMemorySegment(S, w, base + 2L * c, LE)).fma(FloatVector.fromArray(F, x, xo + c), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; c < cols; c++) {
            s += Simd.bf16ToFloat(w.get(HALF, base + 2L * c)) * x[xo + c];
        }
        return s;
    }

    @Override
    public void dot4(int r, int stride, float[] x, int xo, float[] out, float[] lanes) {
        long step = 2L * stride * cols;
        long b0 = 2L * r * cols;
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
            a0 = Simd.bf16ToFloat(ShortVector.fromMemorySegment(S, w, b0 + 2L * c, LE)).fma(v, a0);
            a1 = Simd.bf16ToFloat(ShortVector.fromMemorySegment(S, w, b1 + 2L * c, LE)).fma(v, a1);
            a2 = Simd.bf16ToFloat(ShortVector.fromMemorySegment(S, w, b2 + 2L * c, LE)).fma(v, a2);
            a3 = Simd.bf16ToFloat(ShortVector.fromMemorySegment(S, w, b3 + 2L * c, LE)).fma(v, a3);
        }
        out[0] = tail(Simd.sum(a0, lanes), b0, x, xo, c);
        out[1] = tail(Simd.sum(a1, lanes), b1, x, xo, c);
        out[2] = tail(Simd.sum(a2, lanes), b2, x, xo, c);
        out[3] = tail(Simd.sum(a3, lanes), b3, x, xo, c);
    }

    private float tail(float s, long base, float[] x, int xo, int from) {
        for (int c = from; c < cols; c++) {
            s += Simd.bf16ToFloat(w.get(HALF, base + 2L * c)) * x[xo + c];
        }
        return s;
    }
}
