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
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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

    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_512;
    private static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;

    private final MemorySegment q; // [rows, cols] int8, off the heap
    private final float[] scales;  // [rows, blocksPerRow] (1/64 of the weights; a heap array reads fastest)
    private final int rows;
    private final int cols;
    private final int blocksPerRow;

    private Q8Matrix(int rows, int cols, Arena arena) {
        this.rows = rows;
        this.cols = cols;
        this.blocksPerRow = (cols + BLOCK - 1) / BLOCK;
        this.q = arena.allocate((long) rows * cols + Simd.BYTE_OVERREAD, 64);
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
        return (long) rows * cols + 4L * scales.length;
    }

    @Override
    public double bytesPerWeight() {
        return 1 + 4.0 / BLOCK;
    }

    private float scale(int r, int blk) {
        return scales[r * blocksPerRow + blk];
    }

    /** The int8 value at {@code (r, c)} (tests' scalar references). */
    int quantValue(int r, int c) {
        return quant((long) r * cols + c);
    }

    /** The scale of row {@code r}'s block {@code b} (tests' scalar references). */
    float blockScale(int r, int b) {
        return scale(r, b);
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

    // ---- integer kernels: int8 weights × int8 activations (Q8Activations), for generated tokens ----
    //
    // Canonical order of every output: for each block b of 64 columns, 16 exact integer sums, lane j
    // taking the products of columns {2j, 2j+1, 32+2j, 33+2j} of the block (the 16-bit lanes of two
    // 32-column products added, then adjacent pairs of them: the int lanes' low and high halves); then per lane, in block
    // order, acc = (float) sum · (weight scale · x scale) + acc, fused; lanes summed by Simd.sum. Each
    // product is at most 127² in magnitude, so two of them fit a 16-bit lane and a block's lane sums are
    // exact whatever computes them. The AVX-512 shape with whole blocks only (see integerKernels).

    /**
     * Whether {@link #multiplyQuantized} takes this matrix: 16-lane vectors (AVX-512) and whole blocks.
     * Fixed per matrix and machine, so a token's path never depends on the batch around it.
     */
    public boolean integerKernels() {
        return L == 16 && cols % BLOCK == 0;
    }

    /** Row {@code r} times row {@code i} of {@code xa}, in the integer kernels' canonical order. */
    public float dotQuantized(int r, Q8Activations xa, int i, float[] lanes) {
        MemorySegment q = this.q;
        short[] xq = xa.q;
        long base = (long) r * cols;
        int xo = i * cols;
        int sw = r * blocksPerRow;
        int sx = i * xa.blocks;
        FloatVector acc = FloatVector.zero(F);
        for (int blk = 0; blk < blocksPerRow; blk++) {
            int c = blk * BLOCK;
            ShortVector x0 = ShortVector.fromArray(S32, xq, xo + c);
            ShortVector x1 = ShortVector.fromArray(S32, xq, xo + c + 32);
            IntVector p = ((ShortVector) ByteVector.fromMemorySegment(B32, q, base + c, LE)
                    .convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                    .add(((ShortVector) ByteVector.fromMemorySegment(B32, q, base + c + 32, LE)
                            .convertShape(VectorOperators.B2S, S32, 0)).mul(x1)).reinterpretAsInts();
            p = p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p.lanewise(VectorOperators.ASHR, 16));
            acc = ((FloatVector) p.convert(VectorOperators.I2F, 0))
                    .fma(FloatVector.broadcast(F, scales[sw + blk] * xa.scales[sx + blk]), acc);
        }
        return Simd.sum(acc, lanes);
    }

    /**
     * {@link #dotQuantized} of rows {@code r + k·stride} (k = 0..3) into {@code out[0..3]}, each
     * bit-identical to its single-row result: one 64-byte load per block and row, widened by halves (the
     * same 16-bit lanes as two 32-byte loads), one pair of input loads for the four rows. Fewer
     * instructions per cache line keep more lines in flight, which is what bounds int8 decode here: on the
     * Xeon the pooled decode loop ran 1.26–1.33× faster than with two rows and 32-byte loads at 2 and 16
     * threads (JMH {@code PoolDecodeBenchmark}, bench/CPU-NOTES.md).
     */
    public void dotQuantized4(int r, int stride, Q8Activations xa, int i, float[] out, float[] lanes) {
        MemorySegment q = this.q;
        short[] xq = xa.q;
        float[] xs = xa.scales;
        long step = (long) stride * cols;
        long b0 = (long) r * cols;
        int xo = i * cols;
        int s0 = r * blocksPerRow;
        int sStep = stride * blocksPerRow;
        int sx = i * xa.blocks;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int blk = 0; blk < blocksPerRow; blk++) {
            int c = blk * BLOCK;
            ShortVector x0 = ShortVector.fromArray(S32, xq, xo + c);
            ShortVector x1 = ShortVector.fromArray(S32, xq, xo + c + 32);
            ByteVector v0 = ByteVector.fromMemorySegment(B64, q, b0 + c, LE);
            ByteVector v1 = ByteVector.fromMemorySegment(B64, q, b0 + step + c, LE);
            ByteVector v2 = ByteVector.fromMemorySegment(B64, q, b0 + 2 * step + c, LE);
            ByteVector v3 = ByteVector.fromMemorySegment(B64, q, b0 + 3 * step + c, LE);
            IntVector p0 = ((ShortVector) v0.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                    .add(((ShortVector) v0.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
            IntVector p1 = ((ShortVector) v1.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                    .add(((ShortVector) v1.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
            IntVector p2 = ((ShortVector) v2.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                    .add(((ShortVector) v2.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
            IntVector p3 = ((ShortVector) v3.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                    .add(((ShortVector) v3.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
            p0 = p0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p0.lanewise(VectorOperators.ASHR, 16));
            p1 = p1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p1.lanewise(VectorOperators.ASHR, 16));
            p2 = p2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p2.lanewise(VectorOperators.ASHR, 16));
            p3 = p3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p3.lanewise(VectorOperators.ASHR, 16));
            float s = xs[sx + blk];
            int w = s0 + blk;
            a0 = ((FloatVector) p0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[w] * s), a0);
            a1 = ((FloatVector) p1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[w + sStep] * s), a1);
            a2 = ((FloatVector) p2.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[w + 2 * sStep] * s), a2);
            a3 = ((FloatVector) p3.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[w + 3 * sStep] * s), a3);
        }
        out[0] = Simd.sum(a0, lanes);
        out[1] = Simd.sum(a1, lanes);
        out[2] = Simd.sum(a2, lanes);
        out[3] = Simd.sum(a3, lanes);
    }

    /**
     * Output features {@code [r0, r1)} of the {@code n} quantized rows of {@code xa} into rows
     * {@code yRow0 ..} of {@code y} ({@code y[(yRow0 + i)·rows + r]}, + bias): weight rows in fours a
     * quarter of the range apart, each four for every input row in turn while their 4 × cols bytes sit in
     * L1, so the weights stream from memory once — four input rows at a time through a tile
     * ({@link #tileQuantized4x4}), the rest (all of them below 4) one {@link #dotQuantized4} each; the
     * rows left over one {@link #dotQuantized} each. All bit-identical. Only where {@link #integerKernels}.
     */
    public void multiplyQuantized(Q8Activations xa, int n, float[] y, int yRow0, float[] bias, int r0, int r1,
            float[] lanes) {
        float[] four = new float[4];
        float[] sums = n >= 4 ? new float[16 * L] : null;
        int quarter = (r1 - r0) / 4;
        int tEnd = n & ~3;
        for (int j = 0; j < quarter; j++) {
            int r = r0 + j;
            for (int i = 0; i < tEnd; i += 4) {
                tileQuantized4x4(r, quarter, xa, i, sums);
                for (int a = 0; a < 4; a++) {
                    int ra = r + a * quarter;
                    for (int b = 0; b < 4; b++) {
                        float s = Simd.sum(FloatVector.fromArray(F, sums, (4 * a + b) * L), lanes);
                        y[(yRow0 + i + b) * rows + ra] = Matmul.withBias(s, bias, ra);
                    }
                }
            }
            for (int i = tEnd; i < n; i++) {
                dotQuantized4(r, quarter, xa, i, four, lanes);
                for (int a = 0; a < 4; a++) {
                    int ra = r + a * quarter;
                    y[(yRow0 + i) * rows + ra] = Matmul.withBias(four[a], bias, ra);
                }
            }
        }
        for (int ra = r0 + 4 * quarter; ra < r1; ra++) {
            for (int i = 0; i < n; i++) {
                y[(yRow0 + i) * rows + ra] = Matmul.withBias(dotQuantized(ra, xa, i, lanes), bias, ra);
            }
        }
    }

    /**
     * Rows {@code r + k·stride} (k = 0..3) × quantized input rows {@code i..i+3} of {@code xa}, each
     * output's 16 lane accumulators to {@code sums} (row-major, 16 × L), bit-identical to
     * {@link #dotQuantized}'s: a block's lane sums are taken in fp32 here — weights widened to float
     * times the inputs' int8 values as floats, fused, four vectors per block — which is exact (integers
     * below 2²⁴, the same ones the integer kernels add), and combined with the scales as there. Each
     * weight vector is widened once for four inputs, so a batch costs about what fp32 tiles cost, where
     * the integer kernels would multiply every weight again per input. The 16 block sums stay in
     * registers, the 16 running outputs in {@code sums} (L1).
     */
    void tileQuantized4x4(int r, int stride, Q8Activations xa, int i, float[] sums) {
        MemorySegment q = this.q;
        float[] scales = this.scales;
        float[] xq = xa.pairedFloats();
        float[] xs = xa.scales;
        java.util.Arrays.fill(sums, 0, 16 * L, 0f);
        long step = (long) stride * cols;
        long b0 = (long) r * cols;
        int s0 = r * blocksPerRow;
        int sStep = stride * blocksPerRow;
        int x0 = i * cols;
        int x1 = x0 + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        int xb = i * xa.blocks;
        int xbStep = xa.blocks;
        for (int blk = 0; blk < blocksPerRow; blk++) {
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
            // each half block: the 32 weights of a row widened to 16-bit lanes, read as 16 int lanes whose
            // low halves are the even columns and high halves the odd ones (the inputs are laid out alike)
            for (int c = blk * BLOCK, end = c + BLOCK; c < end; c += 32) {
                FloatVector e0 = FloatVector.fromArray(F, xq, x0 + c);
                FloatVector o0 = FloatVector.fromArray(F, xq, x0 + c + 16);
                FloatVector e1 = FloatVector.fromArray(F, xq, x1 + c);
                FloatVector o1 = FloatVector.fromArray(F, xq, x1 + c + 16);
                FloatVector e2 = FloatVector.fromArray(F, xq, x2 + c);
                FloatVector o2 = FloatVector.fromArray(F, xq, x2 + c + 16);
                FloatVector e3 = FloatVector.fromArray(F, xq, x3 + c);
                FloatVector o3 = FloatVector.fromArray(F, xq, x3 + c + 16);
                IntVector w = ((ShortVector) ByteVector.fromMemorySegment(B32, q, b0 + c, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).reinterpretAsInts();
                FloatVector we = (FloatVector) w.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .convert(VectorOperators.I2F, 0);
                FloatVector wo = (FloatVector) w.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0);
                a00 = wo.fma(o0, we.fma(e0, a00));
                a01 = wo.fma(o1, we.fma(e1, a01));
                a02 = wo.fma(o2, we.fma(e2, a02));
                a03 = wo.fma(o3, we.fma(e3, a03));
                w = ((ShortVector) ByteVector.fromMemorySegment(B32, q, b0 + step + c, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).reinterpretAsInts();
                we = (FloatVector) w.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .convert(VectorOperators.I2F, 0);
                wo = (FloatVector) w.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0);
                a10 = wo.fma(o0, we.fma(e0, a10));
                a11 = wo.fma(o1, we.fma(e1, a11));
                a12 = wo.fma(o2, we.fma(e2, a12));
                a13 = wo.fma(o3, we.fma(e3, a13));
                w = ((ShortVector) ByteVector.fromMemorySegment(B32, q, b0 + 2 * step + c, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).reinterpretAsInts();
                we = (FloatVector) w.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .convert(VectorOperators.I2F, 0);
                wo = (FloatVector) w.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0);
                a20 = wo.fma(o0, we.fma(e0, a20));
                a21 = wo.fma(o1, we.fma(e1, a21));
                a22 = wo.fma(o2, we.fma(e2, a22));
                a23 = wo.fma(o3, we.fma(e3, a23));
                w = ((ShortVector) ByteVector.fromMemorySegment(B32, q, b0 + 3 * step + c, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).reinterpretAsInts();
                we = (FloatVector) w.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .convert(VectorOperators.I2F, 0);
                wo = (FloatVector) w.lanewise(VectorOperators.ASHR, 16).convert(VectorOperators.I2F, 0);
                a30 = wo.fma(o0, we.fma(e0, a30));
                a31 = wo.fma(o1, we.fma(e1, a31));
                a32 = wo.fma(o2, we.fma(e2, a32));
                a33 = wo.fma(o3, we.fma(e3, a33));
            }
            float w0 = scales[s0 + blk];
            float w1 = scales[s0 + sStep + blk];
            float w2 = scales[s0 + 2 * sStep + blk];
            float w3 = scales[s0 + 3 * sStep + blk];
            float y0 = xs[xb + blk];
            float y1 = xs[xb + xbStep + blk];
            float y2 = xs[xb + 2 * xbStep + blk];
            float y3 = xs[xb + 3 * xbStep + blk];
            a00.fma(FloatVector.broadcast(F, w0 * y0), FloatVector.fromArray(F, sums, 0 * L)).intoArray(sums, 0 * L);
            a01.fma(FloatVector.broadcast(F, w0 * y1), FloatVector.fromArray(F, sums, 1 * L)).intoArray(sums, 1 * L);
            a02.fma(FloatVector.broadcast(F, w0 * y2), FloatVector.fromArray(F, sums, 2 * L)).intoArray(sums, 2 * L);
            a03.fma(FloatVector.broadcast(F, w0 * y3), FloatVector.fromArray(F, sums, 3 * L)).intoArray(sums, 3 * L);
            a10.fma(FloatVector.broadcast(F, w1 * y0), FloatVector.fromArray(F, sums, 4 * L)).intoArray(sums, 4 * L);
            a11.fma(FloatVector.broadcast(F, w1 * y1), FloatVector.fromArray(F, sums, 5 * L)).intoArray(sums, 5 * L);
            a12.fma(FloatVector.broadcast(F, w1 * y2), FloatVector.fromArray(F, sums, 6 * L)).intoArray(sums, 6 * L);
            a13.fma(FloatVector.broadcast(F, w1 * y3), FloatVector.fromArray(F, sums, 7 * L)).intoArray(sums, 7 * L);
            a20.fma(FloatVector.broadcast(F, w2 * y0), FloatVector.fromArray(F, sums, 8 * L)).intoArray(sums, 8 * L);
            a21.fma(FloatVector.broadcast(F, w2 * y1), FloatVector.fromArray(F, sums, 9 * L)).intoArray(sums, 9 * L);
            a22.fma(FloatVector.broadcast(F, w2 * y2), FloatVector.fromArray(F, sums, 10 * L)).intoArray(sums, 10 * L);
            a23.fma(FloatVector.broadcast(F, w2 * y3), FloatVector.fromArray(F, sums, 11 * L)).intoArray(sums, 11 * L);
            a30.fma(FloatVector.broadcast(F, w3 * y0), FloatVector.fromArray(F, sums, 12 * L)).intoArray(sums, 12 * L);
            a31.fma(FloatVector.broadcast(F, w3 * y1), FloatVector.fromArray(F, sums, 13 * L)).intoArray(sums, 13 * L);
            a32.fma(FloatVector.broadcast(F, w3 * y2), FloatVector.fromArray(F, sums, 14 * L)).intoArray(sums, 14 * L);
            a33.fma(FloatVector.broadcast(F, w3 * y3), FloatVector.fromArray(F, sums, 15 * L)).intoArray(sums, 15 * L);
        }
    }
}
