package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import jdk.incubator.vector.FloatVector;

/** Vector kernels on heap activations (attention, residual). Each has a scalar twin in the tests. */
public final class VectorOps {

    private VectorOps() {
    }

    /** {@code y[yo+i] += alpha·x[xo+i]} for {@code i < n} (one fma per element). */
    public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, xo + i).fma(FloatVector.broadcast(F, alpha), FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(x[xo + i], alpha, y[yo + i]);
        }
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
