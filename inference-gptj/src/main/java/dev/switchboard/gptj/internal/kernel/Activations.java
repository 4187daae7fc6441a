package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import dev.switchboard.gptj.GptjConfig.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The MLP non-linearities, element by element with HF's formulas ({@code transformers.activations}).
 *
 * <p>GPT-J's {@code gelu_new} runs on every MLP output of every prompt token (a 200-token prompt on a 1 B
 * model: 26 M values), so it is vectorized in fp32 with a rational approximation of tanh (see
 * {@link #tanh}); the rest are scalar in double precision. Every step is a lane-wise IEEE operation, so the
 * interpreter, C2 and the scalar twin used for a row's last partial vector give the same bits.
 */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final float SQRT_2_OVER_PI_F = (float) SQRT_2_OVER_PI;

    // tanh(x) ≈ x·P(x²)/Q(x²) on [-CLAMP, CLAMP] (beyond it tanh rounds to ±1 in fp32); the minimax
    // rational approximation used by Eigen's ptanh_float (and from it TensorFlow/XLA), a few ulp.
    private static final float CLAMP = 7.90531110763549805f;
    private static final float TINY = 0.0004f;
    private static final float A1 = 4.89352455891786e-03f;
    private static final float A3 = 6.37261928875436e-04f;
    private static final float A5 = 1.48572235717979e-05f;
    private static final float A7 = 5.12229709037114e-08f;
    private static final float A9 = -8.60467152213735e-11f;
    private static final float A11 = 2.00018790482477e-13f;
    private static final float A13 = -2.76076847742355e-16f;
    private static final float B0 = 4.89352518554385e-03f;
    private static final float B2 = 2.26843463243900e-03f;
    private static final float B4 = 1.18534705686654e-04f;
    private static final float B6 = 1.19825839466702e-06f;

    private Activations() {
    }

    /** Applies {@code act} to {@code x[from..to)} in place. */
    public static void apply(Activation act, float[] x, int from, int to) {
        switch (act) {
            case GELU_NEW, GELU_PYTORCH_TANH -> geluTanh(x, from, to);
            case GELU_FAST -> {
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    x[i] = (float) (0.5 * v * (1.0 + Math.tanh(v * 0.7978845608 * (1.0 + 0.044715 * v * v))));
                }
            }
            case GELU -> {
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    x[i] = (float) (0.5 * v * (1.0 + erf(v / Math.sqrt(2.0))));
                }
            }
            case QUICK_GELU -> {
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    x[i] = (float) (v / (1.0 + Math.exp(-1.702 * v)));
                }
            }
            case RELU -> {
                for (int i = from; i < to; i++) {
                    x[i] = Math.max(x[i], 0f);
                }
            }
            case SILU -> {
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    x[i] = (float) (v / (1.0 + Math.exp(-v)));
                }
            }
            case TANH -> {
                for (int i = from; i < to; i++) {
                    x[i] = (float) Math.tanh(x[i]);
                }
            }
        }
    }

    /** {@code 0.5·v·(1 + tanh(√(2/π)·(v + 0.044715·v³)))} in fp32, {@link #L} values at a time. */
    private static void geluTanh(float[] x, int from, int to) {
        int i = from;
        for (; i + L <= to; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            FloatVector u = v.mul(v).fma(0.044715f, 1f).mul(v).mul(SQRT_2_OVER_PI_F);
            v.mul(0.5f).mul(tanh(u).add(1f)).intoArray(x, i);
        }
        for (; i < to; i++) {
            float v = x[i];
            float u = Math.fma(v * v, 0.044715f, 1f) * v * SQRT_2_OVER_PI_F;
            x[i] = v * 0.5f * (tanh(u) + 1f);
        }
    }

    /** The vector form of {@link #tanh(float)}, operation for operation. */
    static FloatVector tanh(FloatVector x) {
        FloatVector c = x.max(-CLAMP).min(CLAMP);
        FloatVector c2 = c.mul(c);
        FloatVector p = c2.fma(A13, A11).fma(c2, FloatVector.broadcast(F, A9)).fma(c2, FloatVector.broadcast(F, A7))
                .fma(c2, FloatVector.broadcast(F, A5)).fma(c2, FloatVector.broadcast(F, A3))
                .fma(c2, FloatVector.broadcast(F, A1)).mul(c);
        FloatVector q = c2.fma(B6, B4).fma(c2, FloatVector.broadcast(F, B2)).fma(c2, FloatVector.broadcast(F, B0));
        VectorMask<Float> tiny = x.lanewise(VectorOperators.ABS).compare(VectorOperators.LT, TINY);
        return p.div(q).blend(x, tiny);
    }

    /**
     * tanh in fp32 by a rational approximation: {@code x·P(x²)/Q(x²)} with {@code x} clamped to ±7.905
     * (where tanh is 1 to fp32 precision), {@code x} itself below 0.0004. Absolute error below 1e-6
     * against {@link Math#tanh} (KernelTest).
     */
    static float tanh(float x) {
        float c = Math.min(Math.max(x, -CLAMP), CLAMP);
        float c2 = c * c;
        float p = Math.fma(c2, A13, A11);
        p = Math.fma(p, c2, A9);
        p = Math.fma(p, c2, A7);
        p = Math.fma(p, c2, A5);
        p = Math.fma(p, c2, A3);
        p = Math.fma(p, c2, A1);
        p = p * c;
        float q = Math.fma(c2, B6, B4);
        q = Math.fma(q, c2, B2);
        q = Math.fma(q, c2, B0);
        return Math.abs(x) < TINY ? x : p / q;
    }

    /**
     * The error function, from the complementary one by Chebyshev fitting (Numerical Recipes {@code erfcc}),
     * fractional error below 1.2e-7 everywhere — below fp32 resolution of the GELU output.
     */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }
}
