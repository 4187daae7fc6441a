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
 * {@code (float) q * scale}, then takes part in fp32 arithmetic like any other format. Both arrays
 * live off the heap, in the arena given at allocation (a 6B model needs no huge Java heap).
 */
public final class Q8Matrix implements WeightMatrix {

    public static final int BLOCK = 64;

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

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

    private float scale(int r, int blk) {
        return scales.get(FLOAT, 4L * ((long) r * blocksPerRow + blk));
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

    @Override
    public float dot(int r, float[] x, int xo, float[] lanes) {
        long base = (long) r * cols;
        FloatVector acc = FloatVector.zero(F);
        int c = 0;
        int blk = 0;
        for (; c + BLOCK <= cols; blk++) {
            FloatVector sv = FloatVector.broadcast(F, scale(r, blk));
            for (int end = c + BLOCK; c < end; c += L) {
                FloatVector w = Simd.bytesToFloat(ByteVector.fromMemorySegment(B, q, base + c, LE)).mul(sv);
                acc = w.fma(FloatVector.fromArray(F, x, xo + c), acc);
            }
        }
        float s;
        if (c < cols) { // a last, partial block: its full vectors, then single weights
            float scale = scale(r, blk);
            FloatVector sv = FloatVector.broadcast(F, scale);
            for (; c + L <= cols; c += L) {
                FloatVector w = Simd.bytesToFloat(ByteVector.fromMemorySegment(B, q, base + c, LE)).mul(sv);
                acc = w.fma(FloatVector.fromArray(F, x, xo + c), acc);
            }
            s = Simd.sum(acc, lanes);
            for (; c < cols; c++) {
                s += quant(base + c) * scale * x[xo + c];
            }
        } else {
            s = Simd.sum(acc, lanes);
        }
        return s;
    }
}
