package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.GptjConfig.Activation;
import dev.switchboard.gptj.internal.kernel.Activations;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.Q8Activations;
import dev.switchboard.gptj.internal.kernel.Q8Matrix;
import dev.switchboard.gptj.internal.kernel.Simd;
import dev.switchboard.gptj.internal.kernel.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Several matrix products with the same number of input rows, run as one parallel loop: the output
 * features of all matrices are cut into work items, handed out to the compute threads. Two cuts:
 * for decode (fewer than 4 input rows) items of about {@value #DECODE_BYTES} bytes of weights, small
 * enough that 16 threads finish a loop together; for prefill and batches (4 or more rows) items of
 * about {@value #PREFILL_BYTES} bytes in whole {@link Matmul#ROW_BLOCK}s (fewer, larger items: the
 * tiles widen {@link Matmul#ROW_BLOCK} rows at a time whatever the item's size). The item size
 * measured no different at 32, 128 or 512 KiB for int8 decode at 16 threads (bench/CPU-NOTES.md).
 *
 * <p>Generated tokens' rows (the last {@code generated} input rows; {@link dev.switchboard.gptj.WeightFormat#W8A8})
 * of int8 matrices go through the integer kernels ({@link Q8Matrix#multiplyQuantized}): each compute
 * thread quantizes an input's generated rows once per run, the first time one of its items needs them,
 * into its own {@link Q8Activations}; the threads do this in parallel, so it adds no join to the step.
 */
final class MatmulPlan {

    static final int DECODE_BYTES = 128 * 1024;
    static final int PREFILL_BYTES = 512 * 1024;

    /** {@code y = x·Wᵀ + bias}, then {@code act} on the new outputs (both optional). */
    record Op(WeightMatrix w, float[] bias, Activation act) {
    }

    /** Work items: item {@code i} is rows {@code [from[i], to[i])} of op {@code op[i]}. */
    private record Items(int[] op, int[] from, int[] to) {

        static Items cut(List<Op> ops, boolean prefill) {
            List<int[]> items = new ArrayList<>();
            for (int o = 0; o < ops.size(); o++) {
                WeightMatrix w = ops.get(o).w();
                double rowBytes = w.cols() * w.bytesPerWeight();
                int rows;
                if (prefill) {
                    rows = Math.max(1, (int) (PREFILL_BYTES / rowBytes) / Matmul.ROW_BLOCK) * Matmul.ROW_BLOCK;
                } else {
                    // a multiple of 4: the decode kernels take four rows per pass
                    rows = (int) Math.max(4, Math.min(512, DECODE_BYTES / rowBytes)) & ~3;
                }
                for (int r = 0; r < w.rows(); r += rows) {
                    items.add(new int[] {o, r, Math.min(w.rows(), r + rows)});
                }
            }
            return new Items(items.stream().mapToInt(a -> a[0]).toArray(), items.stream().mapToInt(a -> a[1]).toArray(),
                    items.stream().mapToInt(a -> a[2]).toArray());
        }
    }

    private final List<Op> ops;
    private final float[][] scratch; // per compute thread, for Matmul
    private final float[][] lanes;   // per compute thread
    private final Items decode;
    private final Items prefill;
    private final Q8Activations[][] quantized; // [thread][input], see run
    private final int[][] quantizedAt;         // [thread][input]: the run that filled it
    private final boolean integerKernels;       // whether any op's matrix takes them
    private int runs;

    MatmulPlan(List<Op> ops, int threads) {
        this.ops = List.copyOf(ops);
        int size = ops.stream().mapToInt(o -> Matmul.scratchSize(o.w().cols())).max().orElse(0);
        this.scratch = new float[threads][size];
        this.lanes = new float[threads][Simd.L];
        this.decode = Items.cut(this.ops, false);
        this.prefill = Items.cut(this.ops, true);
        this.quantized = new Q8Activations[threads][this.ops.size()];
        this.quantizedAt = new int[threads][this.ops.size()];
        this.integerKernels = this.ops.stream().anyMatch(op -> op.w() instanceof Q8Matrix q && q.integerKernels());
    }

    /** {@link #run(ComputePool, int, int, float[][], float[][])} with no generated rows. */
    void run(ComputePool pool, int n, float[][] xs, float[][] ys) {
        run(pool, n, 0, xs, ys);
    }

    /**
     * Runs every op: op {@code o} reads {@code xs[o]} ({@code n × cols}) and writes {@code ys[o]}
     * ({@code n × rows}). The last {@code generated} rows are generated tokens (see the class comment).
     */
    void run(ComputePool pool, int n, int generated, float[][] xs, float[][] ys) {
        Items items = (generated > 0 && integerKernels ? n - generated : n) >= 4 ? prefill : decode;
        int run = ++runs;
        int[] input = generated > 0 && integerKernels ? firstReaders(xs) : null;
        pool.run(items.op().length, (item, worker) -> {
            int o = items.op()[item];
            Op op = ops.get(o);
            int r0 = items.from()[item];
            int r1 = items.to()[item];
            if (generated > 0 && op.w() instanceof Q8Matrix q && q.integerKernels()) {
                int given = n - generated;
                if (given > 0) {
                    Matmul.multiply(q, xs[o], given, ys[o], op.bias(), r0, r1, scratch[worker], lanes[worker]);
                }
                q.multiplyQuantized(quantized(worker, input[o], run, xs[o], given, generated, q.cols()), generated, ys[o], given,
                        op.bias(), r0, r1, lanes[worker]);
            } else {
                Matmul.multiply(op.w(), xs[o], n, ys[o], op.bias(), r0, r1, scratch[worker], lanes[worker]);
            }
            if (op.act() != null) {
                int rows = op.w().rows();
                for (int i = 0; i < n; i++) {
                    Activations.apply(op.act(), ys[o], i * rows + r0, i * rows + r1);
                }
            }
        });
    }

    /** For each op, the first op reading the same input array: that input is quantized once for both. */
    private static int[] firstReaders(float[][] xs) {
        int[] first = new int[xs.length];
        for (int o = 0; o < xs.length; o++) {
            first[o] = o;
            for (int p = 0; p < o; p++) {
                if (xs[p] == xs[o]) {
                    first[o] = p;
                    break;
                }
            }
        }
        return first;
    }

    /** Rows {@code [row0, row0 + n)} of input {@code in} ({@code x}) quantized, by this worker, once per run. */
    private Q8Activations quantized(int worker, int in, int run, float[] x, int row0, int n, int cols) {
        Q8Activations a = quantized[worker][in];
        if (a == null) {
            a = new Q8Activations();
            quantized[worker][in] = a;
        }
        if (quantizedAt[worker][in] != run) {
            a.quantize(x, row0, n, cols);
            quantizedAt[worker][in] = run;
        }
        return a;
    }
}
