package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.F32Matrix;
import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.Q8Activations;
import dev.switchboard.gptj.internal.kernel.Q8Matrix;
import dev.switchboard.gptj.internal.kernel.Simd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ways to write the int8 (64-weight blocks, fp32 scale per block) decode GEMV with the Vector API,
 * one thread, on a matrix far larger than the caches: the experiment behind {@code Q8Matrix.dot}
 * (see bench/CPU-NOTES.md). AVX-512 shapes (16 float lanes); on other machines the variants still
 * run but their widths are not the preferred ones. GB/s = {@code rows × cols × (1 + 4/64)} / time.
 * Run: {@code inference-gptj/bench/jmh.sh Int8Variants}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class Int8VariantsBenchmark {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_512;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int BLOCK = 64;
    private static final VectorSpecies<Byte> B32 = ByteVector.SPECIES_256;
    private static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;

    @Param({"32768"})
    public int rows;

    @Param({"4096"})
    public int cols;

    private Arena arena;
    private MemorySegment q;
    private float[] scales;
    private float[] x;
    private float[] y;
    private int blocks;
    private Q8Matrix matrix;
    private MemorySegment f32;
    private float[] lanes;
    private short[] xq;
    private float[] x4;
    private float[] y4;
    private final Q8Activations xa = new Q8Activations();
    private final Q8Activations xa4 = new Q8Activations();
    private float[] xqScales;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        q = arena.allocate((long) rows * cols, 64);
        for (long i = 0; i < Math.min(q.byteSize(), 1 << 16); i++) {
            q.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
        }
        repeatPrefix(q, 1 << 16);
        blocks = cols / BLOCK;
        scales = new float[rows * blocks];
        java.util.Arrays.fill(scales, 0.01f);
        x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (i % 13) * 0.1f;
        }
        y = new float[rows];
        // the engine's kernel (Q8Matrix.dot, one row per call) on a matrix of the same shape
        MemorySegment f = arena.allocate(4L * rows * cols, 64);
        f32 = f;
        for (long i = 0; i < Math.min((long) rows * cols, 1 << 16); i++) {
            f.setAtIndex(ValueLayout.JAVA_FLOAT, i, ((i * 31) % 255 - 127) * 0.001f);
        }
        repeatPrefix(f, 4L << 16);
        matrix = Q8Matrix.allocate(rows, cols, arena);
        // speed does not depend on the values: quantize every row of the first 64 KiB pattern only once
        // (the rest of the matrix is that pattern repeated, and set up in seconds, not minutes)
        int patternRows = Math.max(1, Math.min(rows, (1 << 16) / cols));
        matrix.quantizeRows(new F32Matrix(f, rows, cols), 0, patternRows);
        lanes = new float[Simd.L];
        // x quantized to int8 per block of 64 (held widened to int16), for the integer-product variants
        x4 = new float[4 * cols];
        for (int i = 0; i < x4.length; i++) {
            x4[i] = (i % 17) * 0.1f - 0.5f;
        }
        y4 = new float[4 * rows];
        xa4.quantize(x4, 0, 4, cols);
        xq = new short[cols];
        xqScales = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            float max = 0;
            for (int c = b * BLOCK; c < (b + 1) * BLOCK; c++) {
                max = Math.max(max, Math.abs(x[c]));
            }
            float s = max / 127f;
            xqScales[b] = s;
            for (int c = b * BLOCK; c < (b + 1) * BLOCK; c++) {
                xq[c] = (short) (s == 0 ? 0 : Math.round(x[c] / s));
            }
        }
    }

    /** Fills {@code seg} with copies of its first {@code prefix} bytes (doubling copies). */
    private static void repeatPrefix(MemorySegment seg, long prefix) {
        long have = Math.min(prefix, seg.byteSize());
        while (have < seg.byteSize()) {
            long n = Math.min(have, seg.byteSize() - have);
            MemorySegment.copy(seg, 0, seg, have, n);
            have += n;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** {@code Q8Matrix.dot} per row: the engine's decode kernel until it took two rows at once ({@link #engineDot2}). */
    @Benchmark
    public float engineDot() {
        for (int r = 0; r < rows; r++) {
            y[r] = matrix.dot(r, x, 0, lanes);
        }
        return y[1];
    }

    /** What the engine runs now: {@code Q8Matrix.dot2} on rows half the matrix apart (as {@link #farStreams2}). */
    @Benchmark
    public float engineDot2() {
        float[] two = new float[2];
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            matrix.dot2(r, r + half, x, 0, two, lanes);
            y[r] = two[0];
            y[r + half] = two[1];
        }
        return y[1];
    }

    private FloatVector w(long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B16, q, off, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    /** The kernel before: four rows interleaved, an inner loop over the block's four 16-byte loads. */
    @Benchmark
    public float fourRowsInterleaved() {
        for (int r = 0; r < rows; r += 4) {
            long b0 = (long) r * cols;
            long b1 = b0 + cols;
            long b2 = b1 + cols;
            long b3 = b2 + cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int blk = 0, c = 0; blk < blocks; blk++) {
                FloatVector s0 = FloatVector.zero(F);
                FloatVector s1 = s0;
                FloatVector s2 = s0;
                FloatVector s3 = s0;
                for (int e = c + BLOCK; c < e; c += 16) {
                    FloatVector v = FloatVector.fromArray(F, x, c);
                    s0 = w(b0 + c).fma(v, s0);
                    s1 = w(b1 + c).fma(v, s1);
                    s2 = w(b2 + c).fma(v, s2);
                    s3 = w(b3 + c).fma(v, s3);
                }
                a0 = s0.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a0);
                a1 = s1.fma(FloatVector.broadcast(F, scales[(r + 1) * blocks + blk]), a1);
                a2 = s2.fma(FloatVector.broadcast(F, scales[(r + 2) * blocks + blk]), a2);
                a3 = s3.fma(FloatVector.broadcast(F, scales[(r + 3) * blocks + blk]), a3);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD);
            y[r + 1] = a1.reduceLanes(VectorOperators.ADD);
            y[r + 2] = a2.reduceLanes(VectorOperators.ADD);
            y[r + 3] = a3.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** The kernel now: one row at a time, the block's four 16-byte loads written out. */
    @Benchmark
    public float oneRow() {
        for (int r = 0; r < rows; r++) {
            long b0 = (long) r * cols;
            FloatVector a = FloatVector.zero(F);
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                long o = b0 + c;
                FloatVector s = w(o).mul(FloatVector.fromArray(F, x, c));
                s = w(o + 16).fma(FloatVector.fromArray(F, x, c + 16), s);
                s = w(o + 32).fma(FloatVector.fromArray(F, x, c + 32), s);
                s = w(o + 48).fma(FloatVector.fromArray(F, x, c + 48), s);
                a = s.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a);
            }
            y[r] = a.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** Two rows at once, written out (shares the activation loads). */
    @Benchmark
    public float twoRows() {
        for (int r = 0; r < rows; r += 2) {
            long b0 = (long) r * cols;
            long b1 = b0 + cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                FloatVector x0 = FloatVector.fromArray(F, x, c);
                FloatVector x1 = FloatVector.fromArray(F, x, c + 16);
                FloatVector x2 = FloatVector.fromArray(F, x, c + 32);
                FloatVector x3 = FloatVector.fromArray(F, x, c + 48);
                FloatVector s0 = w(b0 + c).mul(x0);
                FloatVector t0 = w(b1 + c).mul(x0);
                s0 = w(b0 + c + 16).fma(x1, s0);
                t0 = w(b1 + c + 16).fma(x1, t0);
                s0 = w(b0 + c + 32).fma(x2, s0);
                t0 = w(b1 + c + 32).fma(x2, t0);
                s0 = w(b0 + c + 48).fma(x3, s0);
                t0 = w(b1 + c + 48).fma(x3, t0);
                a0 = s0.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a0);
                a1 = t0.fma(FloatVector.broadcast(F, scales[(r + 1) * blocks + blk]), a1);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD);
            y[r + 1] = a1.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** One 64-byte load per block, widened a quarter at a time ({@code convertShape} parts 0..3). */
    @Benchmark
    public float oneRowWideLoadParts() {
        for (int r = 0; r < rows; r++) {
            long b0 = (long) r * cols;
            FloatVector a = FloatVector.zero(F);
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                ByteVector v = ByteVector.fromMemorySegment(B64, q, b0 + c, LE);
                FloatVector s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 0)).mul(FloatVector.fromArray(F, x, c));
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 1)).fma(FloatVector.fromArray(F, x, c + 16), s);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 2)).fma(FloatVector.fromArray(F, x, c + 32), s);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 3)).fma(FloatVector.fromArray(F, x, c + 48), s);
                a = s.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a);
            }
            y[r] = a.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /**
     * One 64-byte load per block read as 16 ints; byte k of each int sign-extended by two shifts and
     * converted (a layout with the block's columns interleaved by 4 would make this the dot product).
     */
    @Benchmark
    public float oneRowShiftUnpack() {
        for (int r = 0; r < rows; r++) {
            long b0 = (long) r * cols;
            FloatVector a = FloatVector.zero(F);
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                IntVector v = IntVector.fromMemorySegment(I16, q, b0 + c, LE);
                FloatVector s = i2f(v.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24))
                        .mul(FloatVector.fromArray(F, x, c));
                s = i2f(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24))
                        .fma(FloatVector.fromArray(F, x, c + 16), s);
                s = i2f(v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24))
                        .fma(FloatVector.fromArray(F, x, c + 32), s);
                s = i2f(v.lanewise(VectorOperators.ASHR, 24)).fma(FloatVector.fromArray(F, x, c + 48), s);
                a = s.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a);
            }
            y[r] = a.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** Reads the int8 matrix only (16-byte loads added lanewise): the single-thread read bandwidth. */
    @Benchmark
    public int readOnly() {
        ByteVector acc = ByteVector.zero(B16);
        long n = (long) rows * cols;
        for (long o = 0; o < n; o += 16) {
            acc = acc.add(ByteVector.fromMemorySegment(B16, q, o, LE));
        }
        return acc.lane(1);
    }

    /**
     * {@code k} rows at a time taken {@code rows/k} apart, so each of the k streams runs on through
     * consecutive rows (long sequential streams for the hardware prefetcher, k of them in flight).
     */
    private float farStreams(int k) {
        int quarter = rows / k;
        for (int r = 0; r < quarter; r++) {
            far4(r, quarter);
        }
        return y[1];
    }

    private void far4(int r, int stride) {
        long b0 = (long) r * cols;
        long b1 = b0 + (long) stride * cols;
        long b2 = b1 + (long) stride * cols;
        long b3 = b2 + (long) stride * cols;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int blk = 0, c = 0; blk < blocks; blk++) {
            FloatVector s0 = FloatVector.zero(F);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int e = c + BLOCK; c < e; c += 16) {
                FloatVector v = FloatVector.fromArray(F, x, c);
                s0 = w(b0 + c).fma(v, s0);
                s1 = w(b1 + c).fma(v, s1);
                s2 = w(b2 + c).fma(v, s2);
                s3 = w(b3 + c).fma(v, s3);
            }
            int si = r * blocks + blk;
            a0 = s0.fma(FloatVector.broadcast(F, scales[si]), a0);
            a1 = s1.fma(FloatVector.broadcast(F, scales[si + stride * blocks]), a1);
            a2 = s2.fma(FloatVector.broadcast(F, scales[si + 2 * stride * blocks]), a2);
            a3 = s3.fma(FloatVector.broadcast(F, scales[si + 3 * stride * blocks]), a3);
        }
        y[r] = a0.reduceLanes(VectorOperators.ADD);
        y[r + stride] = a1.reduceLanes(VectorOperators.ADD);
        y[r + 2 * stride] = a2.reduceLanes(VectorOperators.ADD);
        y[r + 3 * stride] = a3.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The engine's arithmetic ({@code Q8Matrix.dot2}: per row one accumulator, {@code acc = (q·scale)·x + acc}
     * per vector) on four rows a quarter of the matrix apart: more rows in flight, each computed as alone.
     */
    @Benchmark
    public float engineOrderFar4() {
        int part = rows / 4;
        for (int r = 0; r < part; r++) {
            engineOrder4(r, part);
        }
        return y[1];
    }

    private void engineOrder4(int r, int stride) {
        long b0 = (long) r * cols;
        long b1 = b0 + (long) stride * cols;
        long b2 = b1 + (long) stride * cols;
        long b3 = b2 + (long) stride * cols;
        int s0 = r * blocks;
        int s1 = s0 + stride * blocks;
        int s2 = s1 + stride * blocks;
        int s3 = s2 + stride * blocks;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int blk = 0; blk < blocks; blk++) {
            int xc = blk * BLOCK;
            FloatVector k0 = FloatVector.broadcast(F, scales[s0 + blk]);
            FloatVector k1 = FloatVector.broadcast(F, scales[s1 + blk]);
            FloatVector k2 = FloatVector.broadcast(F, scales[s2 + blk]);
            FloatVector k3 = FloatVector.broadcast(F, scales[s3 + blk]);
            for (int c = 0; c < BLOCK; c += 16) {
                FloatVector xv = FloatVector.fromArray(F, x, xc + c);
                a0 = w(b0 + xc + c).mul(k0).fma(xv, a0);
                a1 = w(b1 + xc + c).mul(k1).fma(xv, a1);
                a2 = w(b2 + xc + c).mul(k2).fma(xv, a2);
                a3 = w(b3 + xc + c).mul(k3).fma(xv, a3);
            }
        }
        y[r] = a0.reduceLanes(VectorOperators.ADD);
        y[r + stride] = a1.reduceLanes(VectorOperators.ADD);
        y[r + 2 * stride] = a2.reduceLanes(VectorOperators.ADD);
        y[r + 3 * stride] = a3.reduceLanes(VectorOperators.ADD);
    }

    /**
     * The engine's arithmetic on two rows half apart, each block read with one 64-byte load and widened a
     * quarter at a time ({@code convertShape} part 0..3): the same widened values and operations as
     * {@link #engineDot2}, a quarter of the loads.
     */
    @Benchmark
    public float engineOrderWide2() {
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            long ba = (long) r * cols;
            long bb = ba + (long) half * cols;
            int sa = r * blocks;
            int sb = sa + half * blocks;
            FloatVector accA = FloatVector.zero(F);
            FloatVector accB = accA;
            for (int blk = 0; blk < blocks; blk++) {
                int xc = blk * BLOCK;
                FloatVector ka = FloatVector.broadcast(F, scales[sa + blk]);
                FloatVector kb = FloatVector.broadcast(F, scales[sb + blk]);
                ByteVector va = ByteVector.fromMemorySegment(B64, q, ba + xc, LE);
                ByteVector vb = ByteVector.fromMemorySegment(B64, q, bb + xc, LE);
                FloatVector x0 = FloatVector.fromArray(F, x, xc);
                accA = ((FloatVector) va.convertShape(VectorOperators.B2F, F, 0)).mul(ka).fma(x0, accA);
                accB = ((FloatVector) vb.convertShape(VectorOperators.B2F, F, 0)).mul(kb).fma(x0, accB);
                FloatVector x1 = FloatVector.fromArray(F, x, xc + 16);
                accA = ((FloatVector) va.convertShape(VectorOperators.B2F, F, 1)).mul(ka).fma(x1, accA);
                accB = ((FloatVector) vb.convertShape(VectorOperators.B2F, F, 1)).mul(kb).fma(x1, accB);
                FloatVector x2 = FloatVector.fromArray(F, x, xc + 32);
                accA = ((FloatVector) va.convertShape(VectorOperators.B2F, F, 2)).mul(ka).fma(x2, accA);
                accB = ((FloatVector) vb.convertShape(VectorOperators.B2F, F, 2)).mul(kb).fma(x2, accB);
                FloatVector x3 = FloatVector.fromArray(F, x, xc + 48);
                accA = ((FloatVector) va.convertShape(VectorOperators.B2F, F, 3)).mul(ka).fma(x3, accA);
                accB = ((FloatVector) vb.convertShape(VectorOperators.B2F, F, 3)).mul(kb).fma(x3, accB);
            }
            y[r] = accA.reduceLanes(VectorOperators.ADD);
            y[r + half] = accB.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /**
     * What per-row scales would allow: {@link #engineDot2} without the per-vector scale multiply
     * ({@code acc = (float) q · x + acc}, the row's one scale applied to the sum; the scales here are the
     * first block's, as a stand-in).
     */
    @Benchmark
    public float rowScale2() {
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            long ba = (long) r * cols;
            long bb = ba + (long) half * cols;
            FloatVector accA = FloatVector.zero(F);
            FloatVector accB = accA;
            for (int c = 0; c < cols; c += 16) {
                FloatVector xv = FloatVector.fromArray(F, x, c);
                accA = w(ba + c).fma(xv, accA);
                accB = w(bb + c).fma(xv, accB);
            }
            y[r] = accA.reduceLanes(VectorOperators.ADD) * scales[r * blocks];
            y[r + half] = accB.reduceLanes(VectorOperators.ADD) * scales[(r + half) * blocks];
        }
        return y[1];
    }

    /** {@link #rowScale2} with one 64-byte load per 64 weights, widened a quarter at a time. */
    @Benchmark
    public float rowScaleWide2() {
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            long ba = (long) r * cols;
            long bb = ba + (long) half * cols;
            FloatVector accA = FloatVector.zero(F);
            FloatVector accB = accA;
            for (int c = 0; c < cols; c += BLOCK) {
                ByteVector va = ByteVector.fromMemorySegment(B64, q, ba + c, LE);
                ByteVector vb = ByteVector.fromMemorySegment(B64, q, bb + c, LE);
                for (int part = 0; part < 4; part++) {
                    FloatVector xv = FloatVector.fromArray(F, x, c + 16 * part);
                    accA = ((FloatVector) va.convertShape(VectorOperators.B2F, F, part)).fma(xv, accA);
                    accB = ((FloatVector) vb.convertShape(VectorOperators.B2F, F, part)).fma(xv, accB);
                }
            }
            y[r] = accA.reduceLanes(VectorOperators.ADD) * scales[r * blocks];
            y[r + half] = accB.reduceLanes(VectorOperators.ADD) * scales[(r + half) * blocks];
        }
        return y[1];
    }

    /** int8 bytes only, one 64-byte load per block (the bare read {@link #engineOrderWide2} does). */
    @Benchmark
    public int readOnly64() {
        IntVector acc = IntVector.zero(I16);
        long n = (long) rows * cols;
        for (long o = 0; o < n; o += 64) {
            acc = acc.add(IntVector.fromMemorySegment(I16, q, o, LE));
        }
        return acc.lane(1);
    }

    /** Four streams a quarter of the matrix apart (see {@link #farStreams}). */
    @Benchmark
    public float farStreams4() {
        return farStreams(4);
    }

    /** Two rows a half apart, one block each, written out. */
    @Benchmark
    public float farStreams2() {
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            long b0 = (long) r * cols;
            long b1 = b0 + (long) half * cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                FloatVector x0 = FloatVector.fromArray(F, x, c);
                FloatVector x1 = FloatVector.fromArray(F, x, c + 16);
                FloatVector x2 = FloatVector.fromArray(F, x, c + 32);
                FloatVector x3 = FloatVector.fromArray(F, x, c + 48);
                FloatVector s0 = w(b0 + c).mul(x0);
                FloatVector t0 = w(b1 + c).mul(x0);
                s0 = w(b0 + c + 16).fma(x1, s0);
                t0 = w(b1 + c + 16).fma(x1, t0);
                s0 = w(b0 + c + 32).fma(x2, s0);
                t0 = w(b1 + c + 32).fma(x2, t0);
                s0 = w(b0 + c + 48).fma(x3, s0);
                t0 = w(b1 + c + 48).fma(x3, t0);
                a0 = s0.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a0);
                a1 = t0.fma(FloatVector.broadcast(F, scales[(r + half) * blocks + blk]), a1);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD);
            y[r + half] = a1.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** fp32 reference: the engine's {@code F32Matrix.dot4} (four adjacent rows), same rows × cols. */
    @Benchmark
    public float f32Adjacent4() {
        float[] four = new float[4];
        F32Matrix m = new F32Matrix(f32, rows, cols);
        for (int r = 0; r < rows; r += 4) {
            m.dot4(r, 1, x, 0, four, lanes);
            y[r] = four[0];
        }
        return y[1];
    }

    /** fp32, four rows a quarter of the matrix apart. */
    @Benchmark
    public float f32Far4() {
        int quarter = rows / 4;
        long stride = 4L * quarter * cols;
        for (int r = 0; r < quarter; r++) {
            long b0 = 4L * r * cols;
            long b1 = b0 + stride;
            long b2 = b1 + stride;
            long b3 = b2 + stride;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int c = 0; c < cols; c += 16) {
                FloatVector v = FloatVector.fromArray(F, x, c);
                a0 = FloatVector.fromMemorySegment(F, f32, b0 + 4L * c, LE).fma(v, a0);
                a1 = FloatVector.fromMemorySegment(F, f32, b1 + 4L * c, LE).fma(v, a1);
                a2 = FloatVector.fromMemorySegment(F, f32, b2 + 4L * c, LE).fma(v, a2);
                a3 = FloatVector.fromMemorySegment(F, f32, b3 + 4L * c, LE).fma(v, a3);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD) + a1.reduceLanes(VectorOperators.ADD)
                    + a2.reduceLanes(VectorOperators.ADD) + a3.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** Reads the fp32 matrix only (64-byte loads, as the bandwidth probe). */
    @Benchmark
    public float f32ReadOnly() {
        FloatVector a = FloatVector.zero(F);
        long n = 4L * rows * cols;
        for (long o = 0; o < n; o += 64) {
            a = a.add(FloatVector.fromMemorySegment(F, f32, o, LE));
        }
        return a.lane(1);
    }

    /** {@link #oneRowWideLoadParts} on two rows half the matrix apart (64-byte loads, two long streams). */
    @Benchmark
    public float wideParts2Far() {
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            long b0 = (long) r * cols;
            long b1 = b0 + (long) half * cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                ByteVector v = ByteVector.fromMemorySegment(B64, q, b0 + c, LE);
                ByteVector u = ByteVector.fromMemorySegment(B64, q, b1 + c, LE);
                FloatVector x0 = FloatVector.fromArray(F, x, c);
                FloatVector s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 0)).mul(x0);
                FloatVector t = ((FloatVector) u.convertShape(VectorOperators.B2F, F, 0)).mul(x0);
                FloatVector x1 = FloatVector.fromArray(F, x, c + 16);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 1)).fma(x1, s);
                t = ((FloatVector) u.convertShape(VectorOperators.B2F, F, 1)).fma(x1, t);
                FloatVector x2 = FloatVector.fromArray(F, x, c + 32);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 2)).fma(x2, s);
                t = ((FloatVector) u.convertShape(VectorOperators.B2F, F, 2)).fma(x2, t);
                FloatVector x3 = FloatVector.fromArray(F, x, c + 48);
                s = ((FloatVector) v.convertShape(VectorOperators.B2F, F, 3)).fma(x3, s);
                t = ((FloatVector) u.convertShape(VectorOperators.B2F, F, 3)).fma(x3, t);
                a0 = s.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a0);
                a1 = t.fma(FloatVector.broadcast(F, scales[(r + half) * blocks + blk]), a1);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD);
            y[r + half] = a1.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** {@link #oneRowShiftUnpack} on two rows half the matrix apart. */
    @Benchmark
    public float shiftUnpack2Far() {
        int half = rows / 2;
        for (int r = 0; r < half; r++) {
            long b0 = (long) r * cols;
            long b1 = b0 + (long) half * cols;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                IntVector v = IntVector.fromMemorySegment(I16, q, b0 + c, LE);
                IntVector u = IntVector.fromMemorySegment(I16, q, b1 + c, LE);
                FloatVector x0 = FloatVector.fromArray(F, x, c);
                FloatVector s = i2f(v.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24)).mul(x0);
                FloatVector t = i2f(u.lanewise(VectorOperators.LSHL, 24).lanewise(VectorOperators.ASHR, 24)).mul(x0);
                FloatVector x1 = FloatVector.fromArray(F, x, c + 16);
                s = i2f(v.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24)).fma(x1, s);
                t = i2f(u.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 24)).fma(x1, t);
                FloatVector x2 = FloatVector.fromArray(F, x, c + 32);
                s = i2f(v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24)).fma(x2, s);
                t = i2f(u.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 24)).fma(x2, t);
                FloatVector x3 = FloatVector.fromArray(F, x, c + 48);
                s = i2f(v.lanewise(VectorOperators.ASHR, 24)).fma(x3, s);
                t = i2f(u.lanewise(VectorOperators.ASHR, 24)).fma(x3, t);
                a0 = s.fma(FloatVector.broadcast(F, scales[r * blocks + blk]), a0);
                a1 = t.fma(FloatVector.broadcast(F, scales[(r + half) * blocks + blk]), a1);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD);
            y[r + half] = a1.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /**
     * int8 weights times int8 activations (x quantized per block of 64, one scale per block) in 16-bit
     * integer lanes: two 32-lane products of a block (each |q·x| ≤ 127², their sum fits in 16 bits)
     * added, the 16 pairs of lanes summed into 32-bit lanes by shifts, converted once per block and
     * scaled by (weight scale · x scale). Two rows half the matrix apart. 12 vector instructions per
     * 64 weights per row instead of 16.
     */
    @Benchmark
    public float int8Act2() {
        int half = rows / 2;
        short[] xq = this.xq;
        for (int r = 0; r < half; r++) {
            long ba = (long) r * cols;
            long bb = ba + (long) half * cols;
            int sa = r * blocks;
            int sb = (r + half) * blocks;
            FloatVector accA = FloatVector.zero(F);
            FloatVector accB = accA;
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                ShortVector x0 = ShortVector.fromArray(S32, xq, c);
                ShortVector x1 = ShortVector.fromArray(S32, xq, c + 32);
                ShortVector pa = ((ShortVector) ByteVector.fromMemorySegment(B32, q, ba + c, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(B32, q, ba + c + 32, LE)
                                .convertShape(VectorOperators.B2S, S32, 0)).mul(x1));
                ShortVector pb = ((ShortVector) ByteVector.fromMemorySegment(B32, q, bb + c, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(B32, q, bb + c + 32, LE)
                                .convertShape(VectorOperators.B2S, S32, 0)).mul(x1));
                IntVector ia = pa.reinterpretAsInts();
                IntVector ib = pb.reinterpretAsInts();
                ia = ia.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ia.lanewise(VectorOperators.ASHR, 16));
                ib = ib.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(ib.lanewise(VectorOperators.ASHR, 16));
                float xs = xqScales[blk];
                accA = ((FloatVector) ia.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[sa + blk] * xs), accA);
                accB = ((FloatVector) ib.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[sb + blk] * xs), accB);
            }
            y[r] = accA.reduceLanes(VectorOperators.ADD);
            y[r + half] = accB.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** {@link #int8Act2} on four rows a quarter of the matrix apart. */
    @Benchmark
    public float int8Act4() {
        int quarter = rows / 4;
        short[] xq = this.xq;
        long step = (long) quarter * cols;
        for (int r = 0; r < quarter; r++) {
            long b0 = (long) r * cols;
            int s0 = r * blocks;
            int ss = quarter * blocks;
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int blk = 0, c = 0; blk < blocks; blk++, c += BLOCK) {
                ShortVector x0 = ShortVector.fromArray(S32, xq, c);
                ShortVector x1 = ShortVector.fromArray(S32, xq, c + 32);
                float xs = xqScales[blk];
                long o = b0 + c;
                IntVector i0 = ((ShortVector) ByteVector.fromMemorySegment(B32, q, o, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(B32, q, o + 32, LE)
                                .convertShape(VectorOperators.B2S, S32, 0)).mul(x1)).reinterpretAsInts();
                o += step;
                IntVector i1 = ((ShortVector) ByteVector.fromMemorySegment(B32, q, o, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(B32, q, o + 32, LE)
                                .convertShape(VectorOperators.B2S, S32, 0)).mul(x1)).reinterpretAsInts();
                o += step;
                IntVector i2 = ((ShortVector) ByteVector.fromMemorySegment(B32, q, o, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(B32, q, o + 32, LE)
                                .convertShape(VectorOperators.B2S, S32, 0)).mul(x1)).reinterpretAsInts();
                o += step;
                IntVector i3 = ((ShortVector) ByteVector.fromMemorySegment(B32, q, o, LE)
                        .convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                        .add(((ShortVector) ByteVector.fromMemorySegment(B32, q, o + 32, LE)
                                .convertShape(VectorOperators.B2S, S32, 0)).mul(x1)).reinterpretAsInts();
                i0 = i0.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(i0.lanewise(VectorOperators.ASHR, 16));
                i1 = i1.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(i1.lanewise(VectorOperators.ASHR, 16));
                i2 = i2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(i2.lanewise(VectorOperators.ASHR, 16));
                i3 = i3.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                        .add(i3.lanewise(VectorOperators.ASHR, 16));
                a0 = ((FloatVector) i0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[s0 + blk] * xs), a0);
                a1 = ((FloatVector) i1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[s0 + ss + blk] * xs), a1);
                a2 = ((FloatVector) i2.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[s0 + 2 * ss + blk] * xs), a2);
                a3 = ((FloatVector) i3.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F, scales[s0 + 3 * ss + blk] * xs), a3);
            }
            y[r] = a0.reduceLanes(VectorOperators.ADD);
            y[r + quarter] = a1.reduceLanes(VectorOperators.ADD);
            y[r + 2 * quarter] = a2.reduceLanes(VectorOperators.ADD);
            y[r + 3 * quarter] = a3.reduceLanes(VectorOperators.ADD);
        }
        return y[1];
    }

    /** The engine's int8 path for 4 input rows (fp32 activations): Matmul's direct 4 × 4 tiles. */
    @Benchmark
    public float engineBatch4() {
        Matmul.multiply(matrix, x4, 4, y4, null, 0, rows, null, lanes);
        return y4[1];
    }

    /** The engine's path for 4 generated rows: activations quantized, Q8Matrix.multiplyQuantized's exact fp32 tiles. */
    @Benchmark
    public float engineQuantizedBatch4() {
        xa.quantize(x4, 0, 4, cols);
        matrix.multiplyQuantized(xa, 4, y4, 0, null, 0, rows, lanes);
        return y4[1];
    }

    /** {@link #engineQuantizedBatch4} without quantizing the 4 rows (the engine does that once per step and thread). */
    @Benchmark
    public float engineQuantizedBatch4Tiles() {
        matrix.multiplyQuantized(xa4, 4, y4, 0, null, 0, rows, lanes);
        return y4[1];
    }

    /** The engine's path for 1 generated row (Q8Matrix.dotQuantized4 on rows a quarter of the range apart). */
    @Benchmark
    public float engineQuantized1() {
        xa.quantize(x, 0, 1, cols);
        matrix.multiplyQuantized(xa, 1, y, 0, null, 0, rows, lanes);
        return y[1];
    }

    private static FloatVector i2f(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }
}
