package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** Vector kernels on heap activations (attention, residual). Each has a scalar twin in the tests. */
public final class VectorOps {

    private VectorOps() {
    }

    private static final java.lang.foreign.ValueLayout.OfFloat FLOAT =
            java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(Simd.LE);

    /** {@code Σ a[ao+i]·b[i]} with {@code b} at byte {@code bo} of a segment, in {@link Matmul}'s canonical order. */
    public static float dot(float[] a, int ao, MemorySegment b, long bo, int n, float[] lanes) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromMemorySegment(F, b, bo + 4L * i, Simd.LE), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; i < n; i++) {
            s += a[ao + i] * b.get(FLOAT, bo + 4L * i);
        }
        return s;
    }

    /** {@code y[yo+i] += alpha·x[i]} with {@code x} at byte {@code xo} of a segment (one fma per element). */
    public static void axpy(float alpha, MemorySegment x, long xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromMemorySegment(F, x, xo + 4L * i, Simd.LE).fma(va, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(x.get(FLOAT, xo + 4L * i), alpha, y[yo + i]);
        }
    }

    /** Copies {@code n} floats of {@code src} into a segment at byte {@code dstOffset}. */
    public static void store(float[] src, int from, MemorySegment dst, long dstOffset, int n) {
        MemorySegment.copy(src, from, dst, FLOAT, dstOffset, n);
    }

    /** {@code x[xo+i] = (a[xo+i] + b[xo+i]) + x[xo+i]}: HF's {@code attn_output + feed_forward + residual}. */
    public static void addResidual(float[] x, float[] a, float[] b, int xo, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector s = FloatVector.fromArray(F, a, xo + i).add(FloatVector.fromArray(F, b, xo + i));
            s.add(FloatVector.fromArray(F, x, xo + i)).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] = (a[xo + i] + b[xo + i]) + x[xo + i];
        }
    }

    /**
     * LayerNorm of {@code x[xo..xo+n)} into {@code y[yo..)}: {@code (x - mean)/sqrt(var + eps)·w + b} with
     * the biased variance, as {@code torch.nn.LayerNorm}. Statistics in double.
     */
    public static void layerNorm(float[] x, int xo, float[] y, int yo, int n, float[] w, float[] b, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[xo + i];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double dv = x[xo + i] - mean;
            sq += dv * dv;
        }
        double rstd = 1.0 / Math.sqrt(sq / n + eps);
        for (int i = 0; i < n; i++) {
            y[yo + i] = (float) ((x[xo + i] - mean) * rstd) * w[i] + b[i];
        }
    }
}
