package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;
import static dev.switchboard.gptj.internal.kernel.Simd.LE;
import static dev.switchboard.gptj.internal.kernel.Simd.S;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;

/** IEEE fp16 weights read from the mapped checkpoint and widened to fp32 in registers. */
public final class F16Matrix implements WeightMatrix {

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);

    private final MemorySegment w; // [rows, cols] little-endian 16-bit
    private final int rows;
    private final int cols;

    public F16Matrix(MemorySegment w, int rows, int cols) {
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
        return Float.float16ToFloat(w.get(HALF, 2L * ((long) r * cols + c)));
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
            Simd.halfToFloat(ShortVector.fromMemorySegment(S, w, from + 2L * i, LE)).intoArray(dst, off + i);
        }
        for (; i < count; i++) {
            dst[off + i] = Float.float16ToFloat(w.get(HALF, from + 2L * i));
        }
    }

    @Override
    public float dot(int r, float[] x, int xo, float[] lanes) {
        long base = 2L * r * cols;
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        for (; c + L <= cols; c += L) {
            acc = Simd.halfToFloat(ShortVector.fromMemorySegment(S, w, base + 2L * c, LE)).fma(FloatVector.fromArray(F, x, xo + c), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; c < cols; c++) {
            s += Float.float16ToFloat(w.get(HALF, base + 2L * c)) * x[xo + c];
        }
        return s;
    }

    /**
     * Widening fp16 costs more than reading it, so one accumulator chain already keeps up with memory;
     * four chains at once only add register pressure (measured 2.5× slower), hence one row at a time.
     */
    @Override
    public void dot4(int r, int stride, float[] x, int xo, float[] out, float[] lanes) {
        for (int k = 0; k < 4; k++) {
            out[k] = dot(r + k * stride, x, xo, lanes);
        }
    }
}
