package dev.switchboard.gptj.internal.model;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.internal.safetensors.Checkpoint;
import dev.switchboard.gptj.internal.safetensors.Tensor;
import java.nio.file.Path;

/**
 * GPT-J written as plainly as possible, in double precision, without a KV cache: every position
 * attends over the whole prefix again. The scalar reference the optimized engine is checked against
 * on shapes the HF fixtures do not cover (it is itself checked against HF on the tiny fixture).
 */
public final class NaiveGptj {

    private NaiveGptj() {
    }

    /** Logits of every position, {@code [ids.length][vocab]}. */
    public static double[][] logits(Path modelDir, int[] ids) {
        GptjConfig c = ConfigFile.read(modelDir);
        try (Checkpoint ckpt = Checkpoint.open(modelDir, f -> { })) {
            GptjWeights w = GptjWeights.bind(c, ckpt, LoadListener.NONE);
            int n = ids.length;
            int d = c.nEmbd();
            double[][] x = new double[n][d];
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < d; i++) {
                    x[t][i] = w.wte().getFloat((long) ids[t] * d + i);
                }
            }
            for (GptjWeights.Layer l : w.layers()) {
                double[][] h = layerNorm(x, l.ln1Weight(), l.ln1Bias(), c.layerNormEpsilon());
                double[][] q = linear(h, l.q(), null);
                double[][] k = linear(h, l.k(), null);
                double[][] v = linear(h, l.v(), null);
                for (int t = 0; t < n; t++) {
                    rotary(q[t], t, c);
                    rotary(k[t], t, c);
                }
                double[][] att = attention(q, k, v, c);
                double[][] a = linear(att, l.out(), null);
                double[][] m = linear(h, l.fcIn(), l.fcInBias());
                for (double[] row : m) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = activation(c.activation(), row[i]);
                    }
                }
                double[][] f = linear(m, l.fcOut(), l.fcOutBias());
                for (int t = 0; t < n; t++) {
                    for (int i = 0; i < d; i++) {
                        x[t][i] = a[t][i] + f[t][i] + x[t][i];
                    }
                }
            }
            return linear(layerNorm(x, w.lnFWeight(), w.lnFBias(), c.layerNormEpsilon()), w.lmHead(), w.lmHeadBias());
        }
    }

    private static double[][] layerNorm(double[][] x, Tensor weight, Tensor bias, double eps) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0;
            for (double v : x[t]) {
                mean += v / d;
            }
            double var = 0;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean) / d;
            }
            out[t] = new double[d];
            for (int i = 0; i < d; i++) {
                out[t][i] = (x[t][i] - mean) / Math.sqrt(var + eps) * weight.getFloat(i) + bias.getFloat(i);
            }
        }
        return out;
    }

    private static double[][] linear(double[][] x, Tensor w, Tensor bias) {
        int rows = (int) w.shape()[0];
        int cols = (int) w.shape()[1];
        double[][] out = new double[x.length][rows];
        for (int t = 0; t < x.length; t++) {
            for (int r = 0; r < rows; r++) {
                double s = bias == null ? 0 : bias.getFloat(r);
                for (int col = 0; col < cols; col++) {
                    s += w.getFloat((long) r * cols + col) * x[t][col];
                }
                out[t][r] = s;
            }
        }
        return out;
    }

    /** Pairs (2j, 2j+1) of the first rotary_dim dims of each head turn by pos / 10000^(2j/rotary_dim). */
    private static void rotary(double[] x, int pos, GptjConfig c) {
        int hd = c.headDim();
        for (int h = 0; h < c.nHead(); h++) {
            for (int j = 0; j < c.rotaryDim() / 2; j++) {
                double angle = pos / Math.pow(10000, 2.0 * j / c.rotaryDim());
                int i0 = h * hd + 2 * j;
                double a = x[i0];
                double b = x[i0 + 1];
                x[i0] = a * Math.cos(angle) - b * Math.sin(angle);
                x[i0 + 1] = b * Math.cos(angle) + a * Math.sin(angle);
            }
        }
    }

    private static double[][] attention(double[][] q, double[][] k, double[][] v, GptjConfig c) {
        int n = q.length;
        int hd = c.headDim();
        double[][] out = new double[n][c.nEmbd()];
        for (int h = 0; h < c.nHead(); h++) {
            for (int t = 0; t < n; t++) {
                double[] p = new double[t + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s <= t; s++) {
                    double dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += q[t][h * hd + i] * k[s][h * hd + i];
                    }
                    p[s] = dot / Math.sqrt(hd);
                    max = Math.max(max, p[s]);
                }
                double sum = 0;
                for (int s = 0; s <= t; s++) {
                    p[s] = Math.exp(p[s] - max);
                    sum += p[s];
                }
                for (int s = 0; s <= t; s++) {
                    for (int i = 0; i < hd; i++) {
                        out[t][h * hd + i] += p[s] / sum * v[s][h * hd + i];
                    }
                }
            }
        }
        return out;
    }

    static double activation(GptjConfig.Activation a, double x) {
        return switch (a) {
            case GELU_NEW, GELU_PYTORCH_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case GELU_FAST -> 0.5 * x * (1 + Math.tanh(x * 0.7978845608 * (1 + 0.044715 * x * x)));
            case GELU -> 0.5 * x * (1 + erfSeries(x / Math.sqrt(2)));
            case QUICK_GELU -> x / (1 + Math.exp(-1.702 * x));
            case RELU -> Math.max(0, x);
            case SILU -> x / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
        };
    }

    /** erf by its Taylor series: accurate to ~1e-10 for |x| ≤ 4.5, exactly ±1 in double beyond 6. */
    static double erfSeries(double x) {
        if (Math.abs(x) > 6) {
            return Math.signum(x);
        }
        double sum = 0;
        double term = x;
        for (int n = 0; n < 400; n++) {
            sum += term / (2 * n + 1);
            term *= -x * x / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
