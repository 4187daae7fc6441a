package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.PromptMatmul;
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
 * One thread running a prefill matrix product. {@code engine}: {@link Matmul#multiply}'s dot-product tiles
 * over work items of {@code itemKiB} of weights (the engine's prefill path until {@link PromptMatmul};
 * now its path for batches of 64 or more generated rows).
 * GFLOP/s = 2·rows·cols·n / time. Run with {@code inference-gptj/bench/jmh.sh Prefill} (or
 * {@code .device/jmh/run.sh Prefill} on the GPU host, see bench/jmh-device.sh). {@code prompt}: the same product
 * through {@link PromptMatmul} (packing the input included), as the engine runs prompt rows now.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class PrefillBenchmark {

    /** f32, f16, bf16 or int8. */
    @Param({"f32"})
    public String format;

    @Param({"200"})
    public int n;

    /** rows x cols: fc_out of the 1 B shape (2048 x 8192) or fc_in (8192 x 2048). */
    @Param({"2048x8192", "8192x2048"})
    public String shape;

    /** Weight bytes per work item (the engine cuts prefill into items of 512 KiB). */
    @Param({"512"})
    public int itemKiB;


    private Arena arena;
    private WeightMatrix w;
    private int rows;
    private int cols;
    private float[] x;
    private float[] y;
    private float[] scratch;
    private float[] lanes;
    private int rowsPerItem;
    private float[] xt;
    private float[] promptScratch;

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        arena = Arena.ofShared();
        SplittableRandom rnd = new SplittableRandom(1);
        w = BenchWeights.random(format, rows, cols, arena, rnd);
        x = BenchWeights.activations(n * cols, rnd);
        y = new float[n * rows];
        scratch = new float[Matmul.scratchSize(cols)];
        lanes = new float[Simd.L];
        xt = new float[PromptMatmul.packedSize(n, cols)];
        promptScratch = new float[PromptMatmul.scratchSize(n, cols)];
        rowsPerItem = (int) Math.max(4, Math.min(4096, itemKiB * 1024L / (cols * w.bytesPerWeight()))) & ~3;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float engine() {
        for (int r = 0; r < rows; r += rowsPerItem) {
            Matmul.multiply(w, x, n, y, null, r, Math.min(rows, r + rowsPerItem), scratch, lanes);
        }
        return y[0];
    }

    /** The prompt path: the input packed once, then {@link PromptMatmul} over items of its row blocks. */
    @Benchmark
    public float prompt() {
        for (int b = 0; b < PromptMatmul.blocks(n); b++) {
            PromptMatmul.pack(x, 0, n, cols, b, 0, cols, xt);
        }
        for (int r = 0; r < rows; r += PromptMatmul.ROW_BLOCK) {
            PromptMatmul.multiply(w, xt, n, y, 0, null, r, Math.min(rows, r + PromptMatmul.ROW_BLOCK), promptScratch);
        }
        return y[0];
    }
}
