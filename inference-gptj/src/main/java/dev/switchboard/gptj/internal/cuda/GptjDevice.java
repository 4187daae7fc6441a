package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.switchboard.gptj.internal.model.GptjWeights;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * GPT-J forward passes on one GPU: weights resident as fp16, a KV cache per slot.
 *
 * <ul>
 *   <li>Batch-1 decode ({@link #decode}, {@link #greedy}): per layer LayerNorm, one fused GEMV over
 *       [Wq;Wk;Wv;Wfc_in] with rotary, cache store and gelu in its epilogue, split-sequence attention,
 *       one GEMV over [Wout | Wfc_out] with bias and residual; 4 kernels a layer. The whole step
 *       is captured once as a CUDA graph that reads token, position and slot from device memory.
 *   <li>Several rows at once ({@link #prefill}, {@link #decodeBatch}): cuBLAS fp16 GEMMs with fp32
 *       accumulation; prefill attention as two batched GEMMs around a causal softmax kernel.
 * </ul>
 *
 * <p>Not thread-safe: one thread drives a device at a time (each call binds the context to it).
 */
public final class GptjDevice implements AutoCloseable {
    /** Which logits a pass returns: none, the last row's, or every row's. */
    public enum Logits { NONE, LAST, ALL }

    /** Tokens of a greedy run and its timings (nanoseconds, host clock around synchronised work). */
    public record GreedyRun(int[] tokens, long firstTokenNanos, long totalNanos) {}

    private final CudaContext cx;
    private final DevicePlan plan;
    private final ModelShape s;
    private final DeviceWeights w;
    private final DeviceBuffers b;
    private final GptjKernels k;
    private final boolean useGraphs;
    private MemorySegment graphLogits;
    private MemorySegment graphGreedy;

    private GptjDevice(CudaContext cx, DevicePlan plan, DeviceWeights w, DeviceBuffers b, boolean useGraphs) {
        this.cx = cx;
        this.plan = plan;
        this.s = plan.shape();
        this.w = w;
        this.b = b;
        this.k = new GptjKernels(cx);
        this.useGraphs = useGraphs;
        // resolve every kernel now: no driver lookups while a graph is being captured
        for (String name : GptjKernels.allKernelNames()) {
            cx.kernels.function(name);
        }
        for (int rows = 1; rows <= plan.slots(); rows++) {
            cx.setMaxDynamicShared(k.attnKernel(), plan.attnSharedBytes(plan.attnSplits(rows)));
        }
    }

    /** Uploads the weights and allocates the workspace and KV cache described by {@code plan}. */
    static GptjDevice load(CudaContext cx, DevicePlan plan, GptjWeights source, DeviceWeights.Progress progress,
                           boolean useGraphs) {
        cx.makeCurrent();
        DeviceWeights w = DeviceWeights.upload(cx, source, progress);
        DeviceBuffers b = new DeviceBuffers(cx, plan);
        return new GptjDevice(cx, plan, w, b, useGraphs);
    }

    public DevicePlan plan() {
        return plan;
    }

    public CudaContext context() {
        return cx;
    }

    public long weightBytes() {
        return w.bytes;
    }

    DeviceBuffers buffers() {
        return b;
    }

    DeviceWeights weights() {
        return w;
    }

    GptjKernels kernels() {
        return k;
    }

    /** Runs one batch-1 decode step kernel by kernel (no graph), reading the device state. */
    void decodeStepEager(boolean greedy) {
        decodeStepBody(greedy);
    }

    /** The captured greedy step, captured on first use. */
    void launchGreedyGraph() {
        if (graphGreedy == null) {
            graphGreedy = capture(true);
        }
        cx.driver.graphLaunch(graphGreedy, cx.stream);
    }

    /** Sets the batch-1 decode state (token, position, slot) on the device. */
    void setState(int token, int pos, int slot) {
        writeState(token, pos, slot, 0);
    }

    // ------------------------------------------------------------------------------------------
    // public passes

    /**
     * Runs {@code tokens} at positions start.. of {@code slot}, filling its KV cache, and returns no
     * logits (NONE: null), those of the last token (LAST: one row) or of every token (ALL).
     */
    public float[][] prefill(int slot, int[] tokens, int start, Logits wanted) {
        cx.makeCurrent();
        checkSlot(slot);
        checkTokens(tokens);
        checkPositions(start, tokens.length);
        float[][] out = switch (wanted) {
            case NONE -> null;
            case LAST -> new float[1][];
            case ALL -> new float[tokens.length][];
        };
        int chunk = plan.prefillChunk();
        for (int c0 = 0; c0 < tokens.length; c0 += chunk) {
            int t = Math.min(chunk, tokens.length - c0);
            boolean last = c0 + t == tokens.length;
            int[] pos = new int[t];
            int[] slots = new int[t];
            for (int i = 0; i < t; i++) {
                pos[i] = start + c0 + i;
                slots[i] = slot;
            }
            uploadRows(Arrays.copyOfRange(tokens, c0, c0 + t), pos, slots);
            Logits mode = wanted == Logits.ALL ? Logits.ALL : last ? wanted : Logits.NONE;
            forwardRows(t, true, slot, start + c0, mode);
            if (mode == Logits.ALL) {
                float[][] rows = readLogits(t);
                System.arraycopy(rows, 0, out, c0, t);
            } else if (mode == Logits.LAST) {
                out[0] = readLogits(1)[0];
            }
        }
        if (wanted == Logits.NONE) {
            cx.synchronize();  // errors of this call surface here, not in the next one
        }
        return out;
    }

    /** One token at {@code pos} of {@code slot} (its cache holds positions < pos); its logits. */
    public float[] decode(int slot, int token, int pos) {
        cx.makeCurrent();
        checkSlot(slot);
        checkTokens(new int[] {token});
        checkPositions(pos, 1);
        writeState(token, pos, slot, 0);
        if (useGraphs) {
            if (graphLogits == null) {
                graphLogits = capture(false);
            }
            cx.driver.graphLaunch(graphLogits, cx.stream);
        } else {
            decodeStepBody(false);
        }
        return readLogits(1)[0];
    }

    /** One token for each of several sequences (distinct slots); their logits, in row order. */
    public float[][] decodeBatch(int[] slots, int[] tokens, int[] positions) {
        cx.makeCurrent();
        int rows = slots.length;
        if (rows < 1 || rows > plan.slots() || tokens.length != rows || positions.length != rows) {
            throw new IllegalArgumentException("decodeBatch needs 1.." + plan.slots()
                    + " rows with one slot, token and position each");
        }
        if (Arrays.stream(slots).distinct().count() != rows) {
            throw new IllegalArgumentException("decodeBatch slots must be distinct: " + Arrays.toString(slots));
        }
        for (int i = 0; i < rows; i++) {
            checkSlot(slots[i]);
            checkPositions(positions[i], 1);
        }
        checkTokens(tokens);
        uploadRows(tokens, positions, slots);
        forwardRows(rows, false, -1, -1, Logits.ALL);
        return readLogits(rows);
    }

    /**
     * Greedy generation of {@code maxNew} tokens after {@code prompt} in {@code slot}, argmax on the
     * device: prefill, then one graph replay per token with no host round trip in between (the
     * host checks for {@code eos}, when >= 0, every 16 tokens and drops what follows it).
     */
    public GreedyRun greedy(int slot, int[] prompt, int maxNew, int eos) {
        cx.makeCurrent();
        checkSlot(slot);
        checkTokens(prompt);
        if (maxNew < 1) {
            throw new IllegalArgumentException("maxNew must be >= 1, was " + maxNew);
        }
        checkPositions(0, prompt.length + maxNew - 1);
        long t0 = System.nanoTime();
        writeState(0, prompt.length - 1, slot, 0);
        int chunk = plan.prefillChunk();
        for (int c0 = 0; c0 < prompt.length; c0 += chunk) {
            int t = Math.min(chunk, prompt.length - c0);
            int[] pos = new int[t];
            int[] slots = new int[t];
            for (int i = 0; i < t; i++) {
                pos[i] = c0 + i;
                slots[i] = slot;
            }
            cx.synchronize();
            uploadRows(Arrays.copyOfRange(prompt, c0, c0 + t), pos, slots);
            forwardRows(t, true, slot, c0, c0 + t == prompt.length ? Logits.LAST : Logits.NONE);
        }
        // first token: argmax writes state.token, appends to outList[0], advances pos and step
        k.argmaxRows(b.logits, 1, s.vocab(), b.state, b.state, b.outList);
        int[] first = readOut(1);
        long tFirst = System.nanoTime() - t0;
        int produced = 1;
        boolean stopped = eos >= 0 && first[0] == eos;
        if (useGraphs && graphGreedy == null && maxNew > 1) {
            graphGreedy = capture(true);
        }
        while (produced < maxNew && !stopped) {
            int burst = eos >= 0 ? Math.min(16, maxNew - produced) : maxNew - produced;
            for (int i = 0; i < burst; i++) {
                if (useGraphs) {
                    cx.driver.graphLaunch(graphGreedy, cx.stream);
                } else {
                    decodeStepBody(true);
                }
            }
            produced += burst;
            if (eos >= 0) {
                int[] sofar = readOut(produced);
                for (int i = produced - burst; i < produced; i++) {
                    if (sofar[i] == eos) {
                        produced = i + 1;
                        stopped = true;
                        break;
                    }
                }
            }
        }
        int[] tokens = readOut(produced);
        return new GreedyRun(tokens, tFirst, System.nanoTime() - t0);
    }

    /**
     * Greedy generation for several sequences at once (distinct slots): each prompt prefilled, then
     * one batched decode step per token with the argmax on the device; returns [row][maxNew] tokens.
     */
    public int[][] greedyBatch(int[] slots, int[][] prompts, int maxNew) {
        cx.makeCurrent();
        int rows = slots.length;
        if (rows < 1 || rows > plan.slots() || prompts.length != rows || Arrays.stream(slots).distinct().count() != rows) {
            throw new IllegalArgumentException("greedyBatch needs 1.." + plan.slots() + " distinct slots, one prompt each");
        }
        int[] pos = new int[rows];
        for (int i = 0; i < rows; i++) {
            checkSlot(slots[i]);
            checkTokens(prompts[i]);
            checkPositions(0, prompts[i].length + maxNew - 1);
            int chunk = plan.prefillChunk();
            for (int c0 = 0; c0 < prompts[i].length; c0 += chunk) {
                int t = Math.min(chunk, prompts[i].length - c0);
                int[] p = new int[t];
                int[] sl = new int[t];
                for (int j = 0; j < t; j++) {
                    p[j] = c0 + j;
                    sl[j] = slots[i];
                }
                uploadRows(Arrays.copyOfRange(prompts[i], c0, c0 + t), p, sl);
                forwardRows(t, true, slots[i], c0, c0 + t == prompts[i].length ? Logits.LAST : Logits.NONE);
            }
            k.argmaxRows(b.logits, 1, s.vocab(), b.outList + 4L * i, 0, 0);
            pos[i] = prompts[i].length;
        }
        int[][] out = new int[rows][maxNew];
        int[] tok = readOut(rows);
        for (int t = 0; ; t++) {
            for (int i = 0; i < rows; i++) {
                out[i][t] = tok[i];
            }
            if (t + 1 == maxNew) {
                return out;
            }
            uploadRows(tok, pos, slots);
            forwardRows(rows, false, -1, -1, Logits.ALL);
            k.argmaxRows(b.logits, rows, s.vocab(), b.outList, 0, 0);
            tok = readOut(rows);
            for (int i = 0; i < rows; i++) {
                pos[i]++;
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // the passes

    /** The batch-1 decode step: what the graphs capture. Reads token/pos/slot from b.state. */
    private void decodeStepBody(boolean greedy) {
        int e = s.nEmbd(), f = s.nInner();
        int splits = plan.attnSplits(1);
        int smem = plan.attnSharedBytes(splits);
        long slotStride = plan.kvSlotElements();
        k.embed(b.state, 1, w.wte, s.vocab(), e, b.x32);
        for (int l = 0; l < s.nLayer(); l++) {
            DeviceWeights.Layer L = w.layers[l];
            k.layernorm(b.x32, 1, 0, L.ln1W(), L.ln1B(), s.eps(), e, b.h16);
            k.gemvQkvFc(plan.qkvfc(), L.wQkvFc(), b.h16, s, L.bFcIn(), b.state, b.rope, b.q32, b.kCache[l],
                    b.vCache[l], slotStride, plan.maxPos(), b.g16);
            k.attnDecode(b.q32, e, b.kCache[l], b.vCache[l], slotStride, plan.maxPos(), s, 1, b.state + 4,
                    b.state + 8, 4, splits, smem, b.part, b.counters, b.a16, e);
            k.gemvResid(plan.resid(), L.wOut(), b.a16, e, L.wFcOut(), b.g16, f, e, L.bFcOut(), b.x32);
        }
        k.layernorm(b.x32, 1, 0, w.lnfW, w.lnfB, s.eps(), e, b.h16);
        k.gemvBias(plan.lmHead(), w.lmHead, b.h16, e, s.vocab(), w.lmBias, b.logits);
        if (greedy) {
            k.argmaxRows(b.logits, 1, s.vocab(), b.state, b.state, b.outList);
        }
    }

    /**
     * Rows from b.tokens/b.rowPos/b.rowSlot through every layer on the GEMM path. Prefill rows are one
     * sequence (slot, positions start..start+rows-1); decode rows are one token of distinct sequences.
     * cuBLAS is column-major: the row-major Y[T][N] = X[T][K] . W[N][K]^T is computed as
     * Y^T = op_T(W) . X^T with W seen as [K][N] (ld K) and X as [K][T] (ld K).
     */
    private void forwardRows(int rows, boolean prefill, int slot, int start, Logits mode) {
        int e = s.nEmbd(), f = s.nInner(), n1 = s.qkvfcRows();
        long slotStride = plan.kvSlotElements();
        Cublas blas = cx.blas;
        k.embed(b.tokens, rows, w.wte, s.vocab(), e, b.x32);
        for (int l = 0; l < s.nLayer(); l++) {
            DeviceWeights.Layer L = w.layers[l];
            long pendingBias = l == 0 ? 0 : w.layers[l - 1].bFcOut();
            k.layernorm(b.x32, rows, pendingBias, L.ln1W(), L.ln1B(), s.eps(), e, b.h16);
            blas.gemm(Cublas.OP_T, Cublas.OP_N, n1, rows, e, L.wQkvFc(), Cublas.R_16F, e, b.h16, Cublas.R_16F, e,
                    false, b.y1, Cublas.R_32F, n1);
            k.qkvEpilogue(b.y1, rows, s, L.bFcIn(), b.rope, b.rowPos, b.rowSlot, b.q32, b.q16, b.kCache[l],
                    b.vCache[l], slotStride, plan.maxPos(), b.g16);
            if (prefill) {
                attentionPrefill(l, rows, slot, start);
            } else {
                int splits = plan.attnSplits(rows);
                k.attnDecode(b.q32, e, b.kCache[l], b.vCache[l], slotStride, plan.maxPos(), s, rows, b.rowPos,
                        b.rowSlot, 1, splits, plan.attnSharedBytes(splits), b.part, b.counters, b.a16, e);
            }
            // x += attn . Wout^T ; x += g . Wfc_out^T  (fc_out bias applied by the next LayerNorm)
            blas.gemm(Cublas.OP_T, Cublas.OP_N, e, rows, e, L.wOut(), Cublas.R_16F, e, b.a16, Cublas.R_16F, e,
                    true, b.x32, Cublas.R_32F, e);
            blas.gemm(Cublas.OP_T, Cublas.OP_N, e, rows, f, L.wFcOut(), Cublas.R_16F, f, b.g16, Cublas.R_16F, f,
                    true, b.x32, Cublas.R_32F, e);
        }
        long lastBias = w.layers[s.nLayer() - 1].bFcOut();
        switch (mode) {
            case NONE -> { }
            case LAST -> {
                k.layernorm(b.x32 + 4L * (rows - 1) * e, 1, lastBias, w.lnfW, w.lnfB, s.eps(), e, b.h16);
                k.gemvBias(plan.lmHead(), w.lmHead, b.h16, e, s.vocab(), w.lmBias, b.logits);
            }
            case ALL -> {
                k.layernorm(b.x32, rows, lastBias, w.lnfW, w.lnfB, s.eps(), e, b.h16);
                blas.gemm(Cublas.OP_T, Cublas.OP_N, s.vocab(), rows, e, w.lmHead, Cublas.R_16F, e, b.h16,
                        Cublas.R_16F, e, false, b.logits, Cublas.R_32F, s.vocab());
                k.addBiasRows(b.logits, rows, s.vocab(), w.lmBias);
            }
        }
    }

    /**
     * Causal attention of rows queries (positions start..start+rows-1) over keys 0..start+rows-1 of
     * one slot, per head h: S = K_h . Q_h^T (scores, fp32), P = softmax, O_h = P . V_h into a16.
     */
    private void attentionPrefill(int l, int rows, int slot, int start) {
        int e = s.nEmbd(), d = s.headDim(), h = s.nHead();
        int lk = start + rows;
        long headStride = (long) plan.maxPos() * d;
        long kBase = b.kCache[l] + 2L * slot * plan.kvSlotElements();
        long vBase = b.vCache[l] + 2L * slot * plan.kvSlotElements();
        // scores^T col-major [Lk][T]: A = K_h ([D][Lk] col-major, ld D) transposed; B = Q_h ([D][T], ld E)
        cx.blas.gemmStridedBatched(Cublas.OP_T, Cublas.OP_N, lk, rows, d, kBase, Cublas.R_16F, d, headStride,
                b.q16, Cublas.R_16F, e, d, b.scores, Cublas.R_32F, lk, (long) rows * lk, h);
        k.softmaxCausal(b.scores, b.probs, rows, lk, start, h, d);
        // O^T col-major [D][T] (ld E, head h at column offset h*D) = V_h ([D][Lk], ld D) . P^T ([Lk][T], ld Lk)
        cx.blas.gemmStridedBatched(Cublas.OP_N, Cublas.OP_N, d, rows, lk, vBase, Cublas.R_16F, d, headStride,
                b.probs, Cublas.R_16F, lk, (long) rows * lk, b.a16, Cublas.R_16F, e, d, h);
    }

    private MemorySegment capture(boolean greedy) {
        cx.synchronize();
        cx.driver.streamBeginCapture(cx.stream);
        MemorySegment graph;
        try {
            decodeStepBody(greedy);
        } finally {
            graph = cx.driver.streamEndCapture(cx.stream);
        }
        try {
            return cx.driver.graphInstantiate(graph);
        } finally {
            cx.driver.graphDestroy(graph);
        }
    }

    // ------------------------------------------------------------------------------------------
    // host <-> device

    private void uploadRows(int[] tokens, int[] positions, int[] slots) {
        int rows = tokens.length;
        cx.synchronize(); // the pinned staging buffer may still feed an earlier copy
        MemorySegment h = b.hostRows;
        MemorySegment.copy(tokens, 0, h, JAVA_INT, 0, rows);
        MemorySegment.copy(positions, 0, h, JAVA_INT, 4L * rows, rows);
        MemorySegment.copy(slots, 0, h, JAVA_INT, 8L * rows, rows);
        cx.driver.memcpyHtoDAsync(b.tokens, h, 4L * rows, cx.stream);
        cx.driver.memcpyHtoDAsync(b.rowPos, h.asSlice(4L * rows), 4L * rows, cx.stream);
        cx.driver.memcpyHtoDAsync(b.rowSlot, h.asSlice(8L * rows), 4L * rows, cx.stream);
    }

    private void writeState(int token, int pos, int slot, int step) {
        cx.synchronize();
        MemorySegment h = b.hostState;
        h.setAtIndex(JAVA_INT, 0, token);
        h.setAtIndex(JAVA_INT, 1, pos);
        h.setAtIndex(JAVA_INT, 2, slot);
        h.setAtIndex(JAVA_INT, 3, step);
        cx.driver.memcpyHtoDAsync(b.state, h, 16, cx.stream);
    }

    private float[][] readLogits(int rows) {
        int v = s.vocab();
        float[][] out = new float[rows][v];
        for (int r0 = 0; r0 < rows; r0 += plan.slots()) {
            int n = Math.min(plan.slots(), rows - r0);
            cx.driver.memcpyDtoHAsync(b.hostLogits, b.logits + 4L * r0 * v, 4L * n * v, cx.stream);
            cx.synchronize();
            for (int r = 0; r < n; r++) {
                MemorySegment.copy(b.hostLogits, JAVA_FLOAT, 4L * r * v, out[r0 + r], 0, v);
            }
        }
        return out;
    }

    private int[] readOut(int count) {
        cx.driver.memcpyDtoHAsync(b.hostOut, b.outList, 4L * count, cx.stream);
        cx.synchronize();
        int[] out = new int[count];
        MemorySegment.copy(b.hostOut, JAVA_INT, 0, out, 0, count);
        return out;
    }

    private void checkSlot(int slot) {
        if (slot < 0 || slot >= plan.slots()) {
            throw new IllegalArgumentException("slot " + slot + " outside [0, " + plan.slots() + ")");
        }
    }

    private void checkTokens(int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("no tokens");
        }
        for (int t : tokens) {
            if (t < 0 || t >= s.vocab()) {
                throw new IllegalArgumentException("token id " + t + " outside the vocabulary [0, " + s.vocab() + ")");
            }
        }
    }

    private void checkPositions(int start, int count) {
        if (start < 0 || start + count > plan.maxPos()) {
            throw new IllegalArgumentException("positions " + start + ".." + (start + count - 1)
                    + " exceed the context of " + plan.maxPos() + " positions");
        }
    }

    @Override
    public void close() {
        cx.makeCurrent();
        cx.synchronize();
        if (graphLogits != null) {
            cx.driver.graphExecDestroy(graphLogits);
        }
        if (graphGreedy != null) {
            cx.driver.graphExecDestroy(graphGreedy);
        }
    }
}
