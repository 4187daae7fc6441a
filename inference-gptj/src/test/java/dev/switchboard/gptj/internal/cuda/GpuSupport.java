package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helpers for GPU tests: open the GPU or skip the test (CI has none), and move arrays between
 * the heap and device memory. Output buffers are poisoned with NaN bytes before kernels run, so an
 * element a kernel failed to write shows up as NaN.
 */
final class GpuSupport {
    private GpuSupport() {}

    /** The GPU context, or the calling test is skipped (aborted) with the reason. */
    static CudaContext openOrSkip() {
        try {
            return CudaContext.open(0);
        } catch (CudaUnavailableException e) {
            Assumptions.abort("no GPU here: " + e.getMessage());
            throw e;
        }
    }

    static long upload16(CudaContext cx, float[] v) {
        long d = cx.alloc(2L * v.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(2L * v.length + 2);
            for (int i = 0; i < v.length; i++) {
                h.setAtIndex(JAVA_SHORT, i, Float.floatToFloat16(v[i]));
            }
            cx.driver.memcpyHtoD(d, h, 2L * v.length);
        }
        return d;
    }

    static long upload32(CudaContext cx, float[] v) {
        long d = cx.alloc(4L * v.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(4L * v.length + 4);
            MemorySegment.copy(v, 0, h, JAVA_FLOAT, 0, v.length);
            cx.driver.memcpyHtoD(d, h, 4L * v.length);
        }
        return d;
    }

    static long uploadInts(CudaContext cx, int[] v) {
        long d = cx.alloc(4L * v.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(4L * v.length + 4);
            MemorySegment.copy(v, 0, h, JAVA_INT, 0, v.length);
            cx.driver.memcpyHtoD(d, h, 4L * v.length);
        }
        return d;
    }

    /** Device buffer of {@code bytes} filled with 0xFF (NaN as fp16 and fp32). */
    static long poisoned(CudaContext cx, long bytes) {
        long d = cx.alloc(bytes);
        poison(cx, d, bytes);
        return d;
    }

    static void poison(CudaContext cx, long d, long bytes) {
        cx.driver.memsetD8Async(d, (byte) 0xFF, bytes, cx.stream);
        cx.synchronize();
    }

    static float[] download32(CudaContext cx, long d, int n) {
        cx.synchronize();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(4L * n + 4);
            cx.driver.memcpyDtoH(h, d, 4L * n);
            float[] out = new float[n];
            MemorySegment.copy(h, JAVA_FLOAT, 0, out, 0, n);
            return out;
        }
    }

    static float[] download16(CudaContext cx, long d, int n) {
        cx.synchronize();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(2L * n + 2);
            cx.driver.memcpyDtoH(h, d, 2L * n);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = Float.float16ToFloat(h.getAtIndex(JAVA_SHORT, i));
            }
            return out;
        }
    }

    static int[] downloadInts(CudaContext cx, long d, int n) {
        cx.synchronize();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment h = a.allocate(4L * n + 4);
            cx.driver.memcpyDtoH(h, d, 4L * n);
            int[] out = new int[n];
            MemorySegment.copy(h, JAVA_INT, 0, out, 0, n);
            return out;
        }
    }

    /** Uniform in [-scale, scale), already rounded to fp16 so host references see the device's inputs. */
    static float[] randomHalf(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = Float.float16ToFloat(Float.floatToFloat16((float) ((r.nextDouble() * 2 - 1) * scale)));
        }
        return v;
    }

    /** ||a - b|| / ||b||, NaN anywhere gives +infinity. */
    static double relativeError(float[] a, double[] ref) {
        double num = 0, den = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Float.isNaN(a[i])) {
                return Double.POSITIVE_INFINITY;
            }
            num += (a[i] - ref[i]) * (a[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }
}
