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
import java.util.concurrent.TimeUnit;
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

    private Arena arena;
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

    /** int8 activations (quantized once, outside): {@code Q8Matrix.multiplyQuantized} per item (W8A8). */
    @Benchmark
    public float w8a8() {
        int items = (rows + itemRows - 1) / itemRows;
        pool.run(items, (item, worker) -> {
            int r0 = item * itemRows;
            matrix.multiplyQuantized(xa, 1, y, 0, null, r0, Math.min(rows, r0 + itemRows), lanes[worker]);
        });
        return y[1];
    }
}
