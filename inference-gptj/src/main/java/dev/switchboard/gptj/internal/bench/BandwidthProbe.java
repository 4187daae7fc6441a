package dev.switchboard.gptj.internal.bench;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;
import static dev.switchboard.gptj.internal.kernel.Simd.LE;

import dev.switchboard.gptj.internal.kernel.ComputePool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Measures how fast this machine's threads can read memory: every thread sums its share of a buffer
 * far larger than the caches with the same vector loads the kernels use. This is the roofline a
 * memory-bound decode step is compared with: tokens/s ≤ bandwidth / bytes of weights per token.
 */
public final class BandwidthProbe {

    /** Best of {@code repeats} passes, in bytes per second. */
    public record Result(double bytesPerSecond, long bufferBytes, int threads) {
        public double gbPerSecond() {
            return bytesPerSecond / 1e9;
        }
    }

    private BandwidthProbe() {
    }

    public static Result measure(ComputePool pool, long bufferBytes, int repeats) {
        long chunk = 1L << 20; // 1 MiB items, handed out dynamically like the matmul blocks
        long bytes = Math.max(chunk, bufferBytes / chunk * chunk);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(bytes, 4096);
            buf.fill((byte) 1); // touch every page before timing
            int items = (int) (bytes / chunk);
            float[] sink = new float[items];
            double best = 0;
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                pool.run(items, i -> sink[i] = sum(buf, i * chunk, chunk));
                long t1 = System.nanoTime();
                best = Math.max(best, bytes / ((t1 - t0) / 1e9));
            }
            if (Float.isNaN(sink[0])) {
                throw new IllegalStateException("unreachable: keeps the sums alive");
            }
            return new Result(best, bytes, pool.threads());
        }
    }

    private static float sum(MemorySegment seg, long off, long len) {
        FloatVector a = FloatVector.zero(F);
        FloatVector b = a;
        FloatVector c = a;
        FloatVector d = a;
        long step = 4L * L;
        for (long o = off; o < off + len; o += 4 * step) {
            a = a.add(FloatVector.fromMemorySegment(F, seg, o, LE));
            b = b.add(FloatVector.fromMemorySegment(F, seg, o + step, LE));
            c = c.add(FloatVector.fromMemorySegment(F, seg, o + 2 * step, LE));
            d = d.add(FloatVector.fromMemorySegment(F, seg, o + 3 * step, LE));
        }
        return a.add(b).add(c).add(d).lane(0);
    }
}
