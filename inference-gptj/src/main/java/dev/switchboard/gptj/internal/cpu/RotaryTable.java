package dev.switchboard.gptj.internal.cpu;

/**
 * sin and cos of every position × frequency, computed like HF's {@code create_sinusoidal_positions}
 * in fp32: {@code inv_freq[j] = 1 / 10000^(2j / rotary_dim)}, {@code angle = position · inv_freq[j]}.
 */
final class RotaryTable {

    final float[] sin; // [n_positions, rotary_dim / 2]
    final float[] cos; // [n_positions, rotary_dim / 2]
    final int half;

    RotaryTable(int positions, int rotaryDim) {
        half = rotaryDim / 2;
        sin = new float[positions * half];
        cos = new float[positions * half];
        float[] invFreq = new float[half];
        for (int j = 0; j < half; j++) {
            float exponent = (float) (2 * j) / (float) rotaryDim;
            invFreq[j] = 1.0f / (float) Math.pow(10000.0, exponent);
        }
        for (int p = 0; p < positions; p++) {
            for (int j = 0; j < half; j++) {
                float angle = (float) p * invFreq[j];
                sin[p * half + j] = (float) Math.sin(angle);
                cos[p * half + j] = (float) Math.cos(angle);
            }
        }
    }

    /**
     * Rotates pairs {@code (x[2j], x[2j+1])} of one head at {@code off} for position {@code pos}:
     * HF's {@code x·cos + rotate_every_two(x)·sin} with sin/cos repeated per pair.
     */
    void rotate(float[] x, int off, int pos) {
        int t = pos * half;
        for (int j = 0; j < half; j++) {
            float c = cos[t + j];
            float s = sin[t + j];
            float x0 = x[off + 2 * j];
            float x1 = x[off + 2 * j + 1];
            x[off + 2 * j] = x0 * c + -x1 * s;
            x[off + 2 * j + 1] = x1 * c + x0 * s;
        }
    }
}
