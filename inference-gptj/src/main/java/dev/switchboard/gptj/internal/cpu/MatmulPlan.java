package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.GptjConfig.Activation;
import dev.switchboard.gptj.internal.kernel.Activations;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import dev.switchboard.gptj.internal.kernel.Matmul;
import dev.switchboard.gptj.internal.kernel.PromptMatmul;
import dev.switchboard.gptj.internal.kernel.Q8Activations;
import dev.switchboard.gptj.internal.kernel.Q8Matrix;
import dev.switchboard.gptj.internal.kernel.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Several matrix products with the same number of input rows, run as one parallel loop: the output
 * features of all matrices are cut into work items, handed out to the compute threads. The input rows
 * come in two segments: the first {@code direct} rows go through {@link Matmul} (its canonical order:
 * generated tokens and short prompt chunks), the rest through {@link PromptMatmul} (outer-product tiles:
 * prompt chunks of {@link #promptFrom} or more tokens). Which segment a row takes depends only on its
 * chunk, never on the rest of the batch (see {@code CpuForward}), so batching never changes a result.
 *
 * <p>{@link PromptMatmul} rows: each distinct input's rows are packed once, in a parallel loop of their
 * own, then items of {@link PromptMatmul#ROW_BLOCK} weight rows multiply them. Without such rows, two
 * cuts: for decode (fewer than 4 rows) items of about {@value #DECODE_BYTES} bytes of weights, small
 * enough that 16 threads finish a loop together; for batches (4 or more rows) items of about
 * {@value #BATCH_BYTES} bytes in whole {@link Matmul#ROW_BLOCK}s. The item size measured no different
 * at 32, 128 or 512 KiB for int8 decode at 16 threads (bench/CPU-NOTES.md).
 *
 * <p>With {@link dev.switchboard.gptj.WeightFormat#W8A8}, the last {@code generated} of the direct rows
 * (generated tokens) of int8 matrices go through the integer kernels ({@link Q8Matrix#multiplyQuantized}):
 * each compute thread quantizes an input's generated rows once per run, the first time one of its items
 * needs them, into its own {@link Q8Activations}; the threads do this in parallel, so it adds no join to
 * the step.
 */
final class MatmulPlan {

    /**
     * Prompt chunks of {@code promptFrom(w)} tokens or more take {@link PromptMatmul}: packing the inputs
     * and widening and interleaving the weights cost about as much as a pass of {@link Matmul} over a few
     * dozen rows, so shorter chunks stay there. On the Xeon (JMH, one thread) fp32 broke even at 32 rows
     * and was 1.3× faster at 64; int8, whose rows {@link Matmul} takes straight from the stored bytes below
     * 64 rows, was 1.2–1.6× slower at 32 and 64 and faster at 96 (bench/CPU-NOTES.md, "Prefill:
     * outer-product tiles").
     */
    static int promptFrom(WeightMatrix w) {
        return w instanceof Q8Matrix ? 96 : 64;
    }
    static final int DECODE_BYTES = 128 * 1024;
    static final int BATCH_BYTES = 512 * 1024;
    /** Packing: columns per item. */
    private static final int PACK_COLUMNS = 512;

    /** {@code y = x·Wᵀ + bias}, then {@code act} on the new outputs (both optional). */
    record Op(WeightMatrix w, float[] bias, Activation act) {
    }

    /** Work items: item {@code i} is rows {@code [from[i], to[i])} of op {@code op[i]}. */
    private record Items(int[] op, int[] from, int[] to) {

        enum Cut { DECODE, BATCH, PROMPT }

        static Items cut(List<Op> ops, Cut cut) {
            List<int[]> items = new ArrayList<>();
            List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, ops.size()).boxed().toList());
            if (cut == Cut.PROMPT) {
                // prompt items are ROW_BLOCK rows of any length (fc_out's cost 4× q's): longest rows first, so
                // the threads handed the last items out of the shared counter finish together (largest
                // first) instead of one thread starting a long item while the others wait for it
                order.sort(java.util.Comparator.comparingDouble(o -> -rowBytes(ops.get(o).w())));
            }
            for (int o : order) {
                WeightMatrix w = ops.get(o).w();
                double rowBytes = rowBytes(w);
                int rows = switch (cut) {
                    case PROMPT -> PromptMatmul.ROW_BLOCK;
                    case BATCH -> Math.max(1, (int) (BATCH_BYTES / rowBytes) / Matmul.ROW_BLOCK) * Matmul.ROW_BLOCK;
                    // a multiple of 4: the decode kernels take four rows per pass
                    case DECODE -> (int) Math.max(4, Math.min(512, DECODE_BYTES / rowBytes)) & ~3;
                };
                for (int r = 0; r < w.rows(); r += rows) {
                    items.add(new int[] {o, r, Math.min(w.rows(), r + rows)});
                }
            }
            return new Items(items.stream().mapToInt(a -> a[0]).toArray(), items.stream().mapToInt(a -> a[1]).toArray(),
                    items.stream().mapToInt(a -> a[2]).toArray());
        }

        private static double rowBytes(WeightMatrix w) {
            return w.cols() * w.bytesPerWeight();
        }
    }

    private final List<Op> ops;
    private final MatmulWorkspace ws;
    private final Items decode;
    private final Items batch;
    private final Items prompt;
    private final int maxCols;
    private final Q8Activations[][] quantized; // [thread][input], see run
    private final int[][] quantizedAt;         // [thread][input]: the run that filled it
    private final boolean integerKernels;       // W8A8 and some op's matrix takes them
    private int runs;

    /** {@code ops} with the same number of input rows; ops given the same input array share its packing and quantization. */
    MatmulPlan(List<Op> ops, MatmulWorkspace ws, int threads, boolean quantizeGenerated) {
        this.ops = List.copyOf(ops);
        this.ws = ws;
        this.maxCols = ops.stream().mapToInt(o -> o.w().cols()).max().orElse(0);
        this.decode = Items.cut(this.ops, Items.Cut.DECODE);
        this.batch = Items.cut(this.ops, Items.Cut.BATCH);
        this.prompt = Items.cut(this.ops, Items.Cut.PROMPT);
        this.quantized = new Q8Activations[threads][this.ops.size()];
        this.quantizedAt = new int[threads][this.ops.size()];
        this.integerKernels = quantizeGenerated
                && this.ops.stream().anyMatch(op -> op.w() instanceof Q8Matrix q && q.integerKernels());
    }

    /**
     * Runs every op: op {@code o} reads {@code xs[o]} ({@code n × cols}) and writes {@code ys[o]}
     * ({@code n × rows}). Rows {@code [0, direct)} go through {@link Matmul}, the last {@code generated}
     * of them generated tokens'; rows {@code [direct, n)} through {@link PromptMatmul}.
     */
    void run(ComputePool pool, int n, int direct, int generated, float[][] xs, float[][] ys) {
        int promptRows = n - direct;
        int given = direct - generated; // direct rows that are not generated tokens' (short prompt chunks)
        int run = ++runs;
        int[] input = promptRows > 0 || (generated > 0 && integerKernels) ? firstReaders(xs) : null;
        float[][] packed = promptRows > 0 ? pack(pool, input, direct, promptRows, xs) : null;
        Items items = promptRows > 0 ? prompt : (integerKernels ? given : direct) >= 4 ? batch : decode;
        int promptScratch = promptRows > 0 ? PromptMatmul.scratchSize(promptRows, maxCols) : 0;
        pool.run(items.op().length, (item, worker) -> {
            int o = items.op()[item];
            Op op = ops.get(o);
            int r0 = items.from()[item];
            int r1 = items.to()[item];
            if (generated > 0 && integerKernels && op.w() instanceof Q8Matrix q && q.integerKernels()) {
                if (given > 0) {
                    Matmul.multiply(q, xs[o], given, ys[o], op.bias(), r0, r1, ws.scratch[worker], ws.lanes[worker]);
                }
                q.multiplyQuantized(quantized(worker, input[o], run, xs[o], given, generated, q.cols()), generated, ys[o],
                        given, op.bias(), r0, r1, ws.lanes[worker]);
            } else if (direct > 0) {
                Matmul.multiply(op.w(), xs[o], direct, ys[o], op.bias(), r0, r1, ws.scratch[worker], ws.lanes[worker]);
            }
            if (promptRows > 0) {
                PromptMatmul.multiply(op.w(), packed[input[o]], promptRows, ys[o], direct, op.bias(), r0, r1,
                        ws.promptScratch(worker, promptScratch));
            }
            if (op.act() != null) {
                int rows = op.w().rows();
                for (int i = 0; i < n; i++) {
                    Activations.apply(op.act(), ys[o], i * rows + r0, i * rows + r1);
                }
            }
        });
    }

    /** For each op, the first op given the same input array: that input is packed or quantized once for both. */
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

    /**
     * Packs the prompt rows of every distinct input, in one parallel loop over (input, block, columns);
     * {@code packed[input[o]]} is op {@code o}'s.
     */
    private float[][] pack(ComputePool pool, int[] input, int row0, int promptRows, float[][] xs) {
        int[] readers = java.util.stream.IntStream.range(0, ops.size()).filter(o -> input[o] == o).toArray();
        float[][] packed = new float[ops.size()][];
        for (int o : readers) {
            packed[o] = ws.packed(o, PromptMatmul.packedSize(promptRows, ops.get(o).w().cols()));
        }
        int blocks = PromptMatmul.blocks(promptRows);
        int chunks = (maxCols + PACK_COLUMNS - 1) / PACK_COLUMNS;
        pool.run(readers.length * blocks * chunks, i -> {
            int o = readers[i / (blocks * chunks)];
            int cols = ops.get(o).w().cols();
            int b = i / chunks % blocks;
            int k0 = i % chunks * PACK_COLUMNS;
            if (k0 < cols) {
                PromptMatmul.pack(xs[o], row0, promptRows, cols, b, k0, Math.min(cols, k0 + PACK_COLUMNS), packed[o]);
            }
        });
        return packed;
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
