package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.F32Matrix;
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
@OutputTimeUnit(TimeUnit.MILLISECONDS)
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
    private float[] lanes;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        q = arena.allocate((long) rows * cols, 64);
        for (long i = 0; i < q.byteSize(); i++) {
            q.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
        }
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
        for (long i = 0; i < (long) rows * cols; i++) {
            f.setAtIndex(ValueLayout.JAVA_FLOAT, i, ((i * 31) % 255 - 127) * 0.001f);
        }
        matrix = Q8Matrix.allocate(rows, cols, arena);
        matrix.quantizeRows(new F32Matrix(f, rows, cols), 0, rows);
        lanes = new float[Simd.L];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** What the engine runs: {@code Q8Matrix.dot} per row. */
    @Benchmark
    public float engineDot() {
        for (int r = 0; r < rows; r++) {
            y[r] = matrix.dot(r, x, 0, lanes);
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

    private static FloatVector i2f(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }
}
