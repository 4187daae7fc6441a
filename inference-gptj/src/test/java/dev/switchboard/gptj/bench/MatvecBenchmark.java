package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.Simd;
import dev.switchboard.gptj.internal.kernel.WeightMatrix;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
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
 * One thread multiplying {@code n} activation rows by a weight matrix far larger than the caches, in
 * each storage format: the decode kernel (n = 1) is memory-bound, so divide the matrix bytes by the
 * time for GB/s and compare with {@code bin/gptj bandwidth --threads 1}. Run with
 * {@code inference-gptj/bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatvecBenchmark {

    @Param({"f32", "f16", "bf16", "int8"})
    public String format;

    /** Activation rows sharing one pass over the weights (1 = decode of one sequence). */
    @Param({"1", "4", "16"})
    public int n;

    @Param({"8192"})
    public int rows;

    @Param({"4096"})
    public int cols;

    private Arena arena;
    private WeightMatrix w;
    private float[] x;
    private float[] y;
    private float[] scratch;
    private float[] lanes;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        w = BenchWeights.random(format, rows, cols, arena, rnd);
        x = BenchWeights.activations(n * cols, rnd);
        y = new float[n * rows];
        scratch = new float[Matmul.scratchSize(cols)];
        lanes = new float[Simd.L];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float multiply() {
        Matmul.multiply(w, x, n, y, null, 0, rows, scratch, lanes);
        return y[0];
    }
}
