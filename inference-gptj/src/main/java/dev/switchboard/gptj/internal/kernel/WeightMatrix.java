package dev.switchboard.gptj.internal.kernel;

/**
 * A weight matrix {@code W[rows, cols]} (PyTorch {@code nn.Linear} layout: one row per output feature)
 * in one storage format, with the matrix product the forward pass needs.
 *
 * <p>Contract of {@link #multiply}: for every input row {@code i < n} and output feature
 * {@code r ∈ [r0, r1)}: {@code y[i*rows + r] = Σ_c W[r,c]·x[i*cols + c] (+ bias[r])}, in fp32. Each
 * output element is computed in the same order whatever {@code n}, {@code r0}, {@code r1} are, so
 * batching and threading never change results. Safe to call from several threads on disjoint row ranges.
 */
public sealed interface WeightMatrix permits F32Matrix, F16Matrix, Bf16Matrix, Q8Matrix {

    int rows();

    int cols();

    /** See the class contract; {@code bias} may be null. */
    void multiply(float[] x, int n, float[] y, float[] bias, int r0, int r1);

    /** Row {@code r} as fp32 into {@code dst[off..off+cols)} (embedding lookup). */
    void readRow(int r, float[] dst, int off);

    /** Element {@code (r, c)} as fp32 (the value the kernels multiply with). */
    float get(int r, int c);

    /** Bytes the weights occupy. */
    long bytes();

    /** Bytes per weight, for splitting work by cost. */
    double bytesPerWeight();
}
