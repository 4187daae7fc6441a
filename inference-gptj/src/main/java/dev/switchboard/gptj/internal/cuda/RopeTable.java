package dev.switchboard.gptj.internal.cuda;

/**
 * The rotary (cos, sin) table, computed in fp32 the way HF's {@code create_sinusoidal_positions}
 * does: inv_freq[i] = 1 / 10000^(2i / R) and angle = float(pos) * inv_freq[i], both in float.
 * Layout: [pos][R/2][2] = (cos, sin), the layout the kernels read.
 */
final class RopeTable {
    private RopeTable() {}

    static float[] build(int positions, int rotaryDim) {
        int half = rotaryDim / 2;
        float[] invFreq = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) rotaryDim;
            invFreq[i] = 1.0f / (float) Math.pow(10000.0, exponent);
        }
        float[] table = new float[positions * half * 2];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) p * invFreq[i];
                int at = (p * half + i) * 2;
                table[at] = (float) Math.cos(angle);
                table[at + 1] = (float) Math.sin(angle);
            }
        }
        return table;
    }
}
