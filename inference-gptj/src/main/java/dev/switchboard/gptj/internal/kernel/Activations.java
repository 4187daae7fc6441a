package dev.switchboard.gptj.internal.kernel;

import dev.switchboard.gptj.GptjConfig.Activation;

/** The MLP non-linearities, element by element with HF's formulas ({@code transformers.activations}). */
public final class Activations {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private Activations() {
    }

    /** Applies {@code act} to {@code x[from..to)} in place. */
    public static void apply(Activation act, float[] x, int from, int to) {
        switch (act) {
            case GELU_NEW, GELU_PYTORCH_TANH -> {
                for (int i = from; i < to; i++) {
                    double v = x[i];
                    x[i] = (float) (0.5 * v * (1.0 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v))));
                }
            }
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
