package dev.switchboard.gptj.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Can plain Java reach an integer multiply-add instruction ({@code vpmaddwd}, or VNNI's {@code vpdpwssd})
 * that the Vector API lacks? C2's auto-vectorizer (SuperWord) turns {@code a[2i]·b[2i] + a[2i+1]·b[2i+1]}
 * over two {@code short[]} into {@code MulAddS2I} and vectorizes it — but only as an element-wise loop
 * ({@code out[i] += …}), not as a reduction into one sum, and only from {@code short} loads (int8 weights
 * would have to be stored as 16 bits, doubling the bytes a decode step reads). One thread, data in L1;
 * multiply-adds per op = {@code n}, so GMAC/s = {@code n} / ns. Run: {@code inference-gptj/bench/jmh.sh IntegerDot}.
 * The findings are in bench/CPU-NOTES.md ("Integer multiply-add from plain Java").
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class IntegerDotBenchmark {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Short> S = ShortVector.SPECIES_512;

    @Param({"4096"})
    public int n;

    private short[] a;
    private short[] b;
    private int[] out;
    private float[] af;
    private float[] bf;

    @Setup
    public void setUp() {
        a = new short[n];
        b = new short[n];
        af = new float[n];
        bf = new float[n];
        out = new int[n / 2];
        for (int i = 0; i < n; i++) {
            a[i] = (short) ((i * 37) % 255 - 127);
            b[i] = (short) ((i * 11) % 255 - 127);
            af[i] = a[i];
            bf[i] = b[i];
        }
    }

    /** Pairs summed into one int: not vectorized by JDK 25's C2 (scalar speed). */
    @Benchmark
    public int pairsReduction() {
        short[] a = this.a;
        short[] b = this.b;
        int s = 0;
        for (int i = 0; i < n / 2; i++) {
            s += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
        }
        return s;
    }

    /** Pairs added into an int array, element-wise: vectorized to {@code vpmaddwd} (+ add, or {@code vpdpwssd}). */
    @Benchmark
    public int[] pairsIntoArray() {
        short[] a = this.a;
        short[] b = this.b;
        int[] out = this.out;
        for (int i = 0; i < n / 2; i++) {
            out[i] += a[2 * i] * b[2 * i] + a[2 * i + 1] * b[2 * i + 1];
        }
        return out;
    }

    /** The Vector API's way (W8A8's): 16-bit products, adjacent lanes summed by shifts, one int accumulator. */
    @Benchmark
    public int shortMulShifts() {
        IntVector acc = IntVector.zero(IntVector.SPECIES_512);
        for (int i = 0; i < n; i += 2 * S.length()) {
            IntVector p = ShortVector.fromArray(S, a, i).mul(ShortVector.fromArray(S, b, i))
                    .add(ShortVector.fromArray(S, a, i + S.length()).mul(ShortVector.fromArray(S, b, i + S.length())))
                    .reinterpretAsInts();
            acc = acc.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16).add(p.lanewise(VectorOperators.ASHR, 16)));
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** fp32 for comparison: four accumulators of fused multiply-adds. */
    @Benchmark
    public float floatFma4() {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int l = F.length();
        for (int i = 0; i < n; i += 4 * l) {
            s0 = FloatVector.fromArray(F, af, i).fma(FloatVector.fromArray(F, bf, i), s0);
            s1 = FloatVector.fromArray(F, af, i + l).fma(FloatVector.fromArray(F, bf, i + l), s1);
            s2 = FloatVector.fromArray(F, af, i + 2 * l).fma(FloatVector.fromArray(F, bf, i + 2 * l), s2);
            s3 = FloatVector.fromArray(F, af, i + 3 * l).fma(FloatVector.fromArray(F, bf, i + 3 * l), s3);
        }
        return s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
    }
}
