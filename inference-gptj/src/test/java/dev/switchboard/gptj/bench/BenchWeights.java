package dev.switchboard.gptj.bench;

import dev.switchboard.gptj.internal.kernel.Bf16Matrix;
import dev.switchboard.gptj.internal.kernel.F16Matrix;
import dev.switchboard.gptj.internal.kernel.F32Matrix;
import dev.switchboard.gptj.internal.kernel.Q8Matrix;
import dev.switchboard.gptj.internal.kernel.WeightMatrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Random weight matrices (Gaussian, σ 0.02) in each storage format, for the JMH benchmarks. */
final class BenchWeights {

    private BenchWeights() {
    }

    /** A {@code rows × cols} matrix in {@code format} (f32, f16, bf16 or int8), off the heap in {@code arena}. */
    static WeightMatrix random(String format, int rows, int cols, Arena arena, SplittableRandom rnd) {
        long count = (long) rows * cols;
        ValueLayout.OfFloat f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfShort i16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        return switch (format) {
            case "f32", "int8" -> {
                MemorySegment s = arena.allocate(4 * count, 64);
                for (long i = 0; i < count; i++) {
                    s.set(f32, 4 * i, (float) rnd.nextGaussian() * 0.02f);
                }
                WeightMatrix m = new F32Matrix(s, rows, cols);
                if (format.equals("f32")) {
                    yield m;
                }
                Q8Matrix q = Q8Matrix.allocate(rows, cols, arena);
                q.quantizeRows(m, 0, rows);
                yield q;
            }
            case "f16", "bf16" -> {
                MemorySegment s = arena.allocate(2 * count, 64);
                for (long i = 0; i < count; i++) {
                    float v = (float) rnd.nextGaussian() * 0.02f;
                    s.set(i16, 2 * i, format.equals("f16") ? Float.floatToFloat16(v) : (short) (Float.floatToRawIntBits(v) >>> 16));
                }
                yield format.equals("f16") ? new F16Matrix(s, rows, cols) : new Bf16Matrix(s, rows, cols);
            }
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** {@code n} standard-normal activations. */
    static float[] activations(int n, SplittableRandom rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
