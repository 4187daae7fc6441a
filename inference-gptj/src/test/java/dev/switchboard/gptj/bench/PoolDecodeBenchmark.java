package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.ComputePool;
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
 * One decode matrix–vector product over a large int8 matrix, cut into work items and run on a
 * {@link ComputePool} as the engine's MatmulPlan does (items of {@code itemKiB} of weights, two rows
 * half an item apart): what the engine's decode loop reaches on the bare kernel, without the rest of a
 * forward pass. Compare with {@code Int8VariantsBenchmark -t T} (each thread its own matrix, long
 * streams) on the same machine. GB/s = {@code rows × cols × (1 + 4/64)} / time.
 * Run: {@code inference-gptj/bench/jmh.sh PoolDecode -p threads=16}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PoolDecodeBenchmark {

    @Param({"2"})
    public int threads;

    @Param({"65536"})
    public int rows;

    @Param({"4096"})
    public int cols;

    @Param({"128"})
    public int itemKiB;

    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    private static final VectorSpecies<Byte> B64 = ByteVector.SPECIES_512;
    private static final VectorSpecies<Short> S32 = ShortVector.SPECIES_512;
    private static final VectorSpecies<Float> F16 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I16 = IntVector.SPECIES_512;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Arena arena;
    private MemorySegment q;
    private short[] xq;
    private float[] ws;
    private ComputePool pool;
    private Q8Matrix matrix;
    private float[] x;
    private float[] y;
    private Q8Activations xa;
    private int itemRows;
    private float[][] scratch;
    private float[][] lanes;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        matrix = Q8Matrix.allocate(rows, cols, arena);
        int patternRows = 16;
        MemorySegment f = arena.allocate(4L * patternRows * cols, 64);
        for (long i = 0; i < (long) patternRows * cols; i++) {
            f.setAtIndex(ValueLayout.JAVA_FLOAT, i, ((i * 31) % 255 - 127) * 0.001f);
        }
        matrix.quantizeRows(new F32Matrix(f, patternRows, cols), 0, patternRows); // the rest stays 0: speed does not depend on values
        x = new float[cols];
        for (int i = 0; i < cols; i++) {
            x[i] = (i % 13) * 0.1f - 0.6f;
        }
        y = new float[rows];
        xa = new Q8Activations();
        xa.quantize(x, 0, 1, cols);
        pool = new ComputePool(threads);
        q = arena.allocate((long) rows * cols, 64);
        xq = new short[cols];
        for (int i = 0; i < cols; i++) {
            xq[i] = (short) (i % 255 - 127);
        }
        ws = new float[rows * (cols / 64)];
        java.util.Arrays.fill(ws, 0.01f);
        itemRows = (int) Math.max(4, (itemKiB * 1024L) / (cols * matrix.bytesPerWeight())) & ~3;
        scratch = new float[threads][Matmul.scratchSize(cols)];
        lanes = new float[threads][Simd.L];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        arena.close();
    }

    /** fp32 activations: {@code Matmul.multiply} of one row per item (the int8 decode path). */
    @Benchmark
    public float int8() {
        int items = (rows + itemRows - 1) / itemRows;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            Matmul.multiply(matrix, x, 1, y, null, r0, Math.min(rows, r0 + itemRows), scratch[worker], lanes[worker]);
        });
        return y[1];
    }

    /**
     * int8 activations (quantized once, outside): {@code Q8Matrix.multiplyQuantized} per item (W8A8; four
     * rows a quarter of the item apart, 64-byte loads — the form measured as {@code w8a8Wide4} before the
     * engine took it over).
     */
    @Benchmark
    public float w8a8() {
        int items = (rows + itemRows - 1) / itemRows;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            matrix.multiplyQuantized(xa, 1, y, 0, null, r0, Math.min(rows, r0 + itemRows), lanes[worker]);
        });
        return y[1];
    }

    /** The W8A8 arithmetic on two rows half the item apart, one 64-byte load per block, on a raw copy of the layout. */
    @Benchmark
    public float w8a8Wide() {
        int items = (rows + itemRows - 1) / itemRows;
        int blocks = cols / 64;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            int r1 = Math.min(rows, r0 + itemRows);
            int half = (r1 - r0) / 2;
            for (int j = 0; j < half; j++) {
                int ra = r0 + j;
                int rb = ra + half;
                long ba = (long) ra * cols;
                long bb = (long) rb * cols;
                FloatVector accA = FloatVector.zero(F16);
                FloatVector accB = accA;
                for (int blk = 0; blk < blocks; blk++) {
                    int c = blk * 64;
                    ShortVector x0 = ShortVector.fromArray(S32, xq, c);
                    ShortVector x1 = ShortVector.fromArray(S32, xq, c + 32);
                    ByteVector va = ByteVector.fromMemorySegment(B64, q, ba + c, LE);
                    ByteVector vb = ByteVector.fromMemorySegment(B64, q, bb + c, LE);
                    IntVector pa = ((ShortVector) va.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) va.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    IntVector pb = ((ShortVector) vb.convertShape(VectorOperators.B2S, S32, 0)).mul(x0)
                            .add(((ShortVector) vb.convertShape(VectorOperators.B2S, S32, 1)).mul(x1)).reinterpretAsInts();
                    pa = pa.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pa.lanewise(VectorOperators.ASHR, 16));
                    pb = pb.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(pb.lanewise(VectorOperators.ASHR, 16));
                    accA = ((FloatVector) pa.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[ra * blocks + blk]), accA);
                    accB = ((FloatVector) pb.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(F16, ws[rb * blocks + blk]), accB);
                }
                y[ra] = accA.reduceLanes(VectorOperators.ADD);
                y[rb] = accB.reduceLanes(VectorOperators.ADD);
            }
        });
        return y[1];
    }

    /** The same bytes, two streams per item as the kernels read them, 16-byte loads, no arithmetic but an add. */
    @Benchmark
    public int read16() {
        return read(16);
    }

    /** {@link #read16} with 64-byte loads. */
    @Benchmark
    public int read64() {
        return read(64);
    }

    private int read(int width) {
        int items = (rows + itemRows - 1) / itemRows;
        int[] sink = new int[items];
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            int r1 = Math.min(rows, r0 + itemRows);
            int half = (r1 - r0) / 2;
            long a = (long) r0 * cols;
            long b = (long) (r0 + half) * cols;
            long n = (long) half * cols;
            ByteVector acc = ByteVector.zero(B64);
            ByteVector acc16 = ByteVector.zero(B16);
            for (long o = 0; o < n; o += width) {
                if (width == 64) {
                    acc = acc.add(ByteVector.fromMemorySegment(B64, q, a + o, LE)).add(ByteVector.fromMemorySegment(B64, q, b + o, LE));
                } else {
                    acc16 = acc16.add(ByteVector.fromMemorySegment(B16, q, a + o, LE)).add(ByteVector.fromMemorySegment(B16, q, b + o, LE));
                }
            }
            sink[item] = acc.lane(0) + acc16.lane(0);
        });
        return sink[0];
    }
}
