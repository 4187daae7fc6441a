package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.GptjConfig.Activation;
import dev.switchboard.gptj.internal.kernel.Activations;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.Simd;
import dev.switchboard.gptj.internal.kernel.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Several matrix products with the same number of input rows, run as one parallel loop: the output
 * features of all matrices are cut into blocks of about {@value #BLOCK_BYTES} bytes of weights (small
 * enough to stay in L2 while every input row passes over them), handed out to the compute threads.
 */
final class MatmulPlan {

    static final int BLOCK_BYTES = 128 * 1024;

    /** {@code y = x·Wᵀ + bias}, then {@code act} on the new outputs (both optional). */
    record Op(WeightMatrix w, float[] bias, Activation act) {
    }

    private final List<Op> ops;
    private final float[][] scratch; // per compute thread, for Matmul
    private final float[][] lanes;   // per compute thread
    private final int[] itemOp;
    private final int[] itemFrom;
    private final int[] itemTo;

    MatmulPlan(List<Op> ops, int threads) {
        this.ops = List.copyOf(ops);
        int size = ops.stream().mapToInt(o -> Matmul.scratchSize(o.w().cols())).max().orElse(0);
        this.scratch = new float[threads][size];
        this.lanes = new float[threads][Simd.L];
        List<int[]> items = new ArrayList<>();
        for (int o = 0; o < ops.size(); o++) {
            WeightMatrix w = ops.get(o).w();
            // a multiple of 4: the decode kernels take four rows per pass
            int rowsPerBlock = (int) Math.max(4, Math.min(512, BLOCK_BYTES / (w.cols() * w.bytesPerWeight()))) & ~3;
            for (int r = 0; r < w.rows(); r += rowsPerBlock) {
                items.add(new int[] {o, r, Math.min(w.rows(), r + rowsPerBlock)});
            }
        }
        itemOp = items.stream().mapToInt(a -> a[0]).toArray();
        itemFrom = items.stream().mapToInt(a -> a[1]).toArray();
        itemTo = items.stream().mapToInt(a -> a[2]).toArray();
    }

    /** Runs every op: op {@code o} reads {@code xs[o]} ({@code n × cols}) and writes {@code ys[o]} ({@code n × rows}). */
    void run(ComputePool pool, int n, float[][] xs, float[][] ys) {
        pool.run(itemOp.length, (item, worker) -> {
            int o = itemOp[item];
            Op op = ops.get(o);
            int r0 = itemFrom[item];
            int r1 = itemTo[item];
            Matmul.multiply(op.w(), xs[o], n, ys[o], op.bias(), r0, r1, scratch[worker], lanes[worker]);
            if (op.act() != null) {
                int rows = op.w().rows();
                for (int i = 0; i < n; i++) {
                    Activations.apply(op.act(), ys[o], i * rows + r0, i * rows + r1);
                }
            }
        });
    }
}
