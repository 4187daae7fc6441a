package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.Simd;
import dev.switchboard.gptj.internal.kernel.VectorOps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * One generated token's attention over a cached context, as the engine's decode step runs it per
 * (layer, head): {@code heads} caches of {@code count} positions × {@code hd} (default: the 1.01 B shape's
 * 16 layers × 16 heads of 128 at 1,000 tokens, 262 MB of keys and values in fp32, 131 MB in bf16), one
 * thread, in either KV-cache format. {@code scores}: one {@link VectorOps#dot} per key, as the engine's
 * decode computes them; {@code values}: the weighted sum of the values. GB/s = the bytes read / time
 * (keys or values: {@code heads · count · hd} elements). Run with {@code inference-gptj/bench/jmh.sh Attention}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AttentionBenchmark {

    /** KV cache format: f32 or bf16. */
    @Param({"f32", "bf16"})
    public String kv;

    @Param({"1000"})
    public int count;

    @Param({"128"})
    public int hd;

    @Param({"256"})
    public int heads;

    private Arena arena;
    private MemorySegment keys;
    private MemorySegment values;
    private long row;
    private boolean bf16;
    private float[] q;
    private float[] scores;
    private float[] out;
    private float[] lanes;
    private float scale;

    @Setup(Level.Trial)
    public void setUp() {
        bf16 = kv.equals("bf16");
        row = (bf16 ? 2L : 4L) * hd;
        arena = Arena.ofShared();
        keys = arena.allocate(row * count * heads, 64);
        values = arena.allocate(row * count * heads, 64);
        SplittableRandom rnd = new SplittableRandom(1);
        float[] chunk = new float[hd];
        for (long p = 0; p < (long) count * heads; p++) {
            for (int i = 0; i < hd; i++) {
                chunk[i] = (float) rnd.nextGaussian();
            }
            if (bf16) {
                VectorOps.storeBf16(chunk, 0, keys, p * row, hd);
                VectorOps.storeBf16(chunk, 0, values, p * row, hd);
            } else {
                VectorOps.store(chunk, 0, keys, p * row, hd);
                VectorOps.store(chunk, 0, values, p * row, hd);
            }
        }
        q = new float[hd];
        for (int i = 0; i < hd; i++) {
            q[i] = (float) rnd.nextGaussian();
        }
        scores = new float[count];
        out = new float[hd];
        lanes = new float[Simd.L];
        scale = (float) Math.sqrt(hd);
        for (int t = 0; t < count; t++) {
            scores[t] = 1f / count;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float scores() {
        float m = 0;
        for (int h = 0; h < heads; h++) {
            long base = h * row * count;
            for (int t = 0; t < count; t++) {
                float s = (bf16 ? VectorOps.dotBf16(q, 0, keys, base + t * row, hd, lanes)
                        : VectorOps.dot(q, 0, keys, base + t * row, hd, lanes)) / scale;
                scores[t] = s;
                m = Math.max(m, s);
            }
        }
        return m;
    }

    @Benchmark
    public float[] values() {
        for (int h = 0; h < heads; h++) {
            long base = h * row * count;
            if (bf16) {
                VectorOps.weightedSumBf16(scores, 1f, count, values, base, row, hd, out, 0);
            } else {
                VectorOps.weightedSum(scores, 1f, count, values, base, row, hd, out, 0);
            }
        }
        return out;
    }
}
