package dev.switchboard.gptj.internal.kernel;

/**
 * A weight matrix {@code W[rows, cols]} (PyTorch {@code nn.Linear} layout: one row per output feature)
 * in one storage format. Each format widens its weights to fp32 in exactly one way, and {@link #dot}
 * multiplies exactly the values {@link #readRows} produces, in {@link Matmul}'s canonical order, so
 * Matmul gets bit-identical results from either (int8 included: its weights widen to
 * {@code q · scale}).
 * Safe to use from several threads.
 */
public sealed interface WeightMatrix permits F32Matrix, F16Matrix, Bf16Matrix, Q8Matrix {

    int rows();

    int cols();

    /**
     * {@code Σ_c W[r,c]·x[xo+c]} in {@link Matmul}'s canonical order: one vector accumulator over the
     * full vectors, {@link Simd#sum}, then the scalar tail. {@code lanes}: scratch of length ≥ L.
     */
    float dot(int r, float[] x, int xo, float[] lanes);

    /**
     * {@link #dot} of rows {@code r, r+stride, r+2·stride, r+3·stride} with one input, into
     * {@code out[0..3]}, each bit-identical to its {@code dot}: the decode kernel, limited by memory
     * latency and bandwidth. Four independent accumulator chains keep more loads in flight than one, and
     * rows a long {@code stride} apart make four long sequential streams (one per quarter of a block of
     * rows) that the hardware prefetchers follow, instead of four short ones that restart every row.
     */
    void dot4(int r, int stride, float[] x, int xo, float[] out, float[] lanes);

    /** Rows {@code [r0, r1)} widened to fp32 into {@code dst[(r - r0)*cols + c]}. */
    void readRows(int r0, int r1, float[] dst);

    /** Row {@code r} as fp32 into {@code dst[off..off+cols)} (embedding lookup). */
    void readRow(int r, float[] dst, int off);

    /** Element {@code (r, c)} as fp32 (the value the kernels multiply with). */
    float get(int r, int c);

    /** Bytes the weights occupy. */
    long bytes();

    /** Bytes per weight, for sizing work items. */
    double bytesPerWeight();
}
