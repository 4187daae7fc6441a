package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import dev.switchboard.gptj.internal.kernel.Simd;
import dev.switchboard.gptj.internal.kernel.VectorOps;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The GPT-J forward pass of HF {@code GPTJForCausalLM} on the CPU, for a ragged batch: the new
 * tokens of all sequences are stacked into one matrix of {@code n} rows, so every weight matrix is read
 * once per step whatever the batch. Only attention looks at which sequence a row belongs to. Chunks
 * are stacked by the kernels their rows take (see {@link MatmulPlan}): short prompt chunks, generated
 * tokens' (with {@code WeightFormat.W8A8}, int8 matrices take them with int8 activations), then prompt
 * chunks of {@link MatmulPlan#promptFrom} or more tokens (64, 96 with int8 weights). Which kernels
 * depends on the chunk alone, so a row's result never depends on the batch. Logits come back in the
 * callers' chunk order. One caller at a time.
 */
final class CpuForward {

    private final GptjConfig c;
    private final CpuWeights w;
    private final ComputePool pool;
    private final RotaryTable rope;
    private final List<MatmulPlan> fromLn1;   // per layer: q, k, v, fc_in (+ activation)
    private final List<MatmulPlan> toResidual; // per layer: out_proj, fc_out
    private final MatmulPlan lmHead;
    private final float scale; // HF divides scores by sqrt(head_dim) held in fp32
    private final int promptFrom; // prompt chunks this long or longer take PromptMatmul (MatmulPlan)

    // Activations for n rows, grown on demand.
    private int cap;
    private float[] x;   // [n, d] residual stream
    private float[] h;   // [n, d] ln_1 output
    private float[] q;   // [n, d]
    private float[] k;   // [n, d]
    private float[] v;   // [n, d]
    private float[] att; // [n, d] attention output before out_proj
    private float[] a;   // [n, d] out_proj output
    private float[] f;   // [n, d] fc_out output
    private float[] m;   // [n, inner] MLP hidden

    CpuForward(GptjConfig c, CpuWeights w, ComputePool pool, boolean quantizeGenerated) {
        this.c = c;
        this.w = w;
        this.pool = pool;
        this.rope = new RotaryTable(c.nPositions(), c.rotaryDim());
        this.scale = (float) Math.sqrt(c.headDim());
        this.promptFrom = MatmulPlan.promptFrom(w.layers().get(0).q());
        this.fromLn1 = new ArrayList<>();
        this.toResidual = new ArrayList<>();
        int maxCols = Math.max(Math.max(c.nEmbd(), c.nInner()), w.lmHead().cols());
        MatmulWorkspace ws = new MatmulWorkspace(pool.threads(), maxCols);
        int threads = pool.threads();
        for (CpuWeights.Layer l : w.layers()) {
            fromLn1.add(new MatmulPlan(List.of(
                    new MatmulPlan.Op(l.q(), null, null), new MatmulPlan.Op(l.k(), null, null),
                    new MatmulPlan.Op(l.v(), null, null), new MatmulPlan.Op(l.fcIn(), l.fcInBias(), c.activation())),
                    ws, threads, quantizeGenerated));
            toResidual.add(new MatmulPlan(List.of(
                    new MatmulPlan.Op(l.out(), null, null), new MatmulPlan.Op(l.fcOut(), l.fcOutBias(), null)),
                    ws, threads, quantizeGenerated));
        }
        this.lmHead = new MatmulPlan(List.of(new MatmulPlan.Op(w.lmHead(), w.lmHeadBias(), null)), ws, threads,
                quantizeGenerated);
    }

    float[][] forward(List<SequenceChunk> given) {
        // chunk order: short prompt chunks, generated tokens' chunks, long prompt chunks — the matrix
        // products take the first two with Matmul (generated rows with int8 activations under W8A8), the
        // long prompt chunks with PromptMatmul (MatmulPlan); which one depends on the chunk alone
        int[] tokens = given.stream().mapToInt(ch -> ch.tokens().length).toArray();
        int[] kinds = kinds(given, tokens, promptFrom);
        int[] order = kernelOrder(kinds);
        List<SequenceChunk> chunks = new ArrayList<>(given.size());
        for (int k : order) {
            chunks.add(given.get(k));
        }
        Segments segments = Segments.of(kinds, tokens);
        int direct = segments.direct();
        int generated = segments.generated();
        Rows rows = Rows.of(chunks, c);
        int n = rows.count;
        int d = c.nEmbd();
        ensureCapacity(n);

        // x[n, d] = wte[token]
        for (int i = 0; i < n; i++) {
            w.wte().readRow(rows.token[i], x, i * d);
        }
        // profiled: steps in which every row decodes (one token per sequence) and steps without a
        // generated row (prefill), each kind apart; see StepProfile
        StepProfile.Kind kind = !StepProfile.enabled() ? null
                : n == chunks.size() && generated == n ? StepProfile.Kind.DECODE
                : generated == 0 ? StepProfile.Kind.PREFILL : null;
        long t = kind != null ? System.nanoTime() : 0;
        for (int layer = 0; layer < c.nLayer(); layer++) {
            CpuWeights.Layer l = w.layers().get(layer);
            // h = LayerNorm(x; ln_1) — attention and MLP both read it (GPT-J's parallel block)
            pool.run(n, i -> VectorOps.layerNorm(x, i * d, h, i * d, d, l.ln1Weight(), l.ln1Bias(), c.layerNormEpsilon()));
            t = lap(kind, t, StepProfile.Phase.OTHER);
            // q, k, v = h·Wqᵀ, h·Wkᵀ, h·Wvᵀ (no bias); m = act(h·W_inᵀ + b_in) [n, inner]
            fromLn1.get(layer).run(pool, n, direct, generated, new float[][] {h, h, h, h}, new float[][] {q, k, v, m});
            t = lap(kind, t, StepProfile.Phase.QKV_FC_IN);
            // rotary position embedding on the first rotary_dim dims of each head of q and k
            rotary(rows, n);
            // append k, v at each row's position in its sequence's cache
            storeKeysValues(rows, layer, n);
            t = lap(kind, t, StepProfile.Phase.OTHER);
            // att = softmax(q·Kᵀ / √head_dim, causal) · V per head, scores and softmax in fp32
            attention(rows, layer);
            t = lap(kind, t, StepProfile.Phase.ATTENTION);
            // a = att·W_outᵀ (no bias); f = m·W_fc_outᵀ + b_out
            toResidual.get(layer).run(pool, n, direct, generated, new float[][] {att, m}, new float[][] {a, f});
            t = lap(kind, t, StepProfile.Phase.OUT_FC_OUT);
            // x = (a + f) + x
            pool.run(n, i -> VectorOps.addResidual(x, a, f, i * d, d));
            t = lap(kind, t, StepProfile.Phase.OTHER);
        }
        for (SequenceChunk ch : chunks) {
            ((CpuKvCache) ch.cache()).advance(ch.tokens().length);
        }
        float[][] logits = logits(chunks, rows);
        if (kind != null) {
            lap(kind, t, StepProfile.Phase.LM_HEAD);
            StepProfile.step(kind);
        }
        float[][] out = new float[given.size()][];
        for (int k = 0; k < order.length; k++) {
            out[order[k]] = logits[k];
        }
        return out;
    }

    private static final int SHORT_PROMPT = 0;
    private static final int GENERATED = 1;
    private static final int LONG_PROMPT = 2;

    /**
     * Which kernels each chunk's rows take in one product (see {@link MatmulPlan}), given how many rows of it
     * the product gets ({@code rows[i]}): generated tokens' rows, else prompt rows — through
     * {@link PromptMatmul} from {@code promptFrom} rows on. The chunk's own property, never the batch's.
     */
    private static int[] kinds(List<SequenceChunk> chunks, int[] rows, int promptFrom) {
        int[] kinds = new int[chunks.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = chunks.get(i).generated() ? GENERATED : rows[i] >= promptFrom ? LONG_PROMPT : SHORT_PROMPT;
        }
        return kinds;
    }

    /** Chunk indices in the order the kernels take them: short prompt, generated, long prompt, each kind in the callers' order. */
    private static int[] kernelOrder(int[] kinds) {
        int[] order = new int[kinds.length];
        int k = 0;
        for (int kind = SHORT_PROMPT; kind <= LONG_PROMPT; kind++) {
            for (int i = 0; i < kinds.length; i++) {
                if (kinds[i] == kind) {
                    order[k++] = i;
                }
            }
        }
        return order;
    }

    /**
     * A product's rows in kernel order: the first {@code direct} through {@link dev.switchboard.gptj.internal.kernel.Matmul},
     * the last {@code generated} of those generated tokens'; the rest through {@link PromptMatmul}.
     */
    private record Segments(int direct, int generated) {
        static Segments of(int[] kinds, int[] rows) {
            int direct = 0;
            int generated = 0;
            for (int i = 0; i < kinds.length; i++) {
                direct += kinds[i] != LONG_PROMPT ? rows[i] : 0;
                generated += kinds[i] == GENERATED ? rows[i] : 0;
            }
            return new Segments(direct, generated);
        }
    }

    /** Adds the time since {@code since} to {@code phase} of a profiled step of {@code kind} (null: not profiled); the new lap's start. */
    private static long lap(StepProfile.Kind kind, long since, StepProfile.Phase phase) {
        if (kind == null) {
            return 0;
        }
        long now = System.nanoTime();
        StepProfile.add(kind, phase, now - since);
        return now;
    }

    /**
     * logits = LayerNorm(x; ln_f)·W_lmᵀ + b_lm, for the rows whose logits are wanted. Which kernels a
     * chunk's rows take here follows from its own logit rows, not from its length: most prompt chunks want
     * one row (the last), which would cost {@link PromptMatmul} a pass packing and widening the whole
     * vocabulary matrix, so only chunks wanting {@code promptFrom} rows or more (the {@code logits} command's
     * every position) take it; generated tokens' rows come last among the rest (W8A8, see
     * {@link MatmulPlan}). Still the chunk's own property, never the batch's.
     */
    private float[][] logits(List<SequenceChunk> chunks, Rows rows) {
        int d = c.nEmbd();
        int vocab = c.vocabSize();
        int[] wanted = rows.wantedRows(chunks);
        float[][] out = new float[chunks.size()][];
        if (wanted.length == 0) {
            return out;
        }
        // each chunk's first wanted row in `wanted`; the lm_head takes the chunks in kernel order
        int[] counts = chunks.stream().mapToInt(SequenceChunk::logitRows).toArray();
        int[] first = new int[chunks.size()];
        for (int ci = 1; ci < chunks.size(); ci++) {
            first[ci] = first[ci - 1] + counts[ci - 1];
        }
        int[] kinds = kinds(chunks, counts, MatmulPlan.promptFrom(w.lmHead()));
        int[] at = new int[wanted.length]; // row j of the lm_head's input is wanted row at[j]
        int[] chunkAt = new int[chunks.size()];
        int j = 0;
        for (int ci : kernelOrder(kinds)) {
            chunkAt[ci] = j;
            for (int r = 0; r < counts[ci]; r++) {
                at[j++] = first[ci] + r;
            }
        }
        Segments segments = Segments.of(kinds, counts);
        float[] hf = new float[wanted.length * d];
        pool.run(wanted.length, r -> VectorOps.layerNorm(x, wanted[at[r]] * d, hf, r * d, d, w.lnFWeight(), w.lnFBias(),
                c.layerNormEpsilon()));
        float[] all = new float[wanted.length * vocab];
        lmHead.run(pool, wanted.length, segments.direct(), segments.generated(), new float[][] {hf}, new float[][] {all});
        for (int ci = 0; ci < chunks.size(); ci++) {
            if (counts[ci] > 0) {
                out[ci] = java.util.Arrays.copyOfRange(all, chunkAt[ci] * vocab, (chunkAt[ci] + counts[ci]) * vocab);
            }
        }
        return out;
    }

    private void rotary(Rows rows, int n) {
        int d = c.nEmbd();
        int hd = c.headDim();
        if (c.rotaryDim() == 0) {
            return;
        }
        pool.run(n, i -> {
            for (int head = 0; head < c.nHead(); head++) {
                rope.rotate(q, i * d + head * hd, rows.pos[i]);
                rope.rotate(k, i * d + head * hd, rows.pos[i]);
            }
        });
    }

    private void storeKeysValues(Rows rows, int layer, int n) {
        int d = c.nEmbd();
        int hd = c.headDim();
        for (int i = 0; i < n; i++) {
            CpuKvCache cache = rows.cache[i];
            for (int head = 0; head < c.nHead(); head++) {
                cache.store(layer, cache.offset(head, rows.pos[i]), k, v, i * d + head * hd, hd);
            }
        }
    }

    /** Work items: (row block, head); a row attends to positions 0..pos of its own sequence. */
    private void attention(Rows rows, int layer) {
        int d = c.nEmbd();
        int hd = c.headDim();
        int heads = c.nHead();
        int blocks = (rows.count + ATT_ROWS - 1) / ATT_ROWS;
        pool.run(blocks * heads, item -> {
            int head = item % heads;
            int i0 = (item / heads) * ATT_ROWS;
            int i1 = Math.min(rows.count, i0 + ATT_ROWS);
            float[] lanes = new float[Simd.L];
            float[] scores = new float[rows.pos[i1 - 1] + 1];
            float[][] four = null;
            int i = i0;
            while (i < i1) {
                CpuKvCache cache = rows.cache[i];
                if (hd % (4 * Simd.L) == 0 && i + 4 <= i1 && rows.consecutive(i, 4)) {
                    // the block's rows may come from several sequences: size by this quad's last position
                    if (four == null || four[0].length < rows.pos[i] + 4) {
                        four = new float[4][rows.pos[i] + 4];
                    }
                    attendFour(cache, layer, i * d + head * hd, cache.offset(head, 0), rows.pos[i], hd, d, four, lanes);
                    i += 4;
                } else {
                    attendOne(cache, layer, i * d + head * hd, cache.offset(head, 0), rows.pos[i], hd, scores, lanes);
                    i++;
                }
            }
        });
    }

    /**
     * {@link #attendOne} for four consecutive rows of one sequence (positions {@code pos .. pos+3}, rows
     * {@code d} apart), as in a prompt's prefill: each key and value up to {@code pos} is read once for the
     * four, and every operation on each row is the one {@code attendOne} performs, in the same order, so
     * the outputs are bit-identical (CpuForwardTest compares prefill with token-by-token decode).
     */
    private void attendFour(CpuKvCache cache, int layer, int qOff, long headBase, int pos, int hd, int d, float[][] sc,
            float[] lanes) {
        long row = cache.rowBytes;
        float[] s4 = new float[4];
        float[] max = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int t = 0; t <= pos; t++) {
            cache.dot4Key(layer, q, qOff, qOff + d, qOff + 2 * d, qOff + 3 * d, headBase + t * row, hd, s4, lanes);
            for (int k = 0; k < 4; k++) {
                float s = s4[k] / scale;
                sc[k][t] = s;
                max[k] = Math.max(max[k], s);
            }
        }
        for (int k = 1; k < 4; k++) { // row k also sees the k positions after pos
            for (int t = pos + 1; t <= pos + k; t++) {
                float s = cache.dotKey(layer, q, qOff + k * d, headBase + t * row, hd, lanes) / scale;
                sc[k][t] = s;
                max[k] = Math.max(max[k], s);
            }
        }
        float[] inv = new float[4];
        for (int k = 0; k < 4; k++) {
            inv[k] = VectorOps.softmaxNumerators(sc[k], pos + k + 1, max[k]);
        }
        cache.weightedValues4(layer, sc, inv, pos + 1, headBase, hd, att, qOff, qOff + d, qOff + 2 * d, qOff + 3 * d);
        for (int k = 1; k < 4; k++) {
            for (int t = pos + 1; t <= pos + k; t++) {
                cache.addValue(layer, sc[k][t] * inv[k], headBase + t * row, att, qOff + k * d, hd);
            }
        }
    }

    private static final int ATT_ROWS = 16;

    private void attendOne(CpuKvCache cache, int layer, int qOff, long headBase, int pos, int hd, float[] scores,
            float[] lanes) {
        long row = cache.rowBytes;
        float[] sc = scores.length > pos ? scores : new float[pos + 1];
        float max = Float.NEGATIVE_INFINITY;
        for (int t = 0; t <= pos; t++) {
            float s = cache.dotKey(layer, q, qOff, headBase + t * row, hd, lanes) / scale;
            sc[t] = s;
            max = Math.max(max, s);
        }
        float inv = VectorOps.softmaxNumerators(sc, pos + 1, max);
        if (hd % (4 * Simd.L) == 0) {
            cache.weightedValues(layer, sc, inv, pos + 1, headBase, hd, att, qOff);
            return;
        }
        java.util.Arrays.fill(att, qOff, qOff + hd, 0f);
        for (int t = 0; t <= pos; t++) {
            cache.addValue(layer, sc[t] * inv, headBase + t * row, att, qOff, hd);
        }
    }

    private void ensureCapacity(int n) {
        if (n <= cap) {
            return;
        }
        int d = c.nEmbd();
        x = new float[n * d];
        h = new float[n * d];
        q = new float[n * d];
        k = new float[n * d];
        v = new float[n * d];
        att = new float[n * d];
        a = new float[n * d];
        f = new float[n * d];
        m = new float[n * c.nInner()];
        cap = n;
    }

    /** Which sequence and position each stacked row belongs to; validated before anything changes. */
    private static final class Rows {
        int count;
        int[] token;
        int[] pos;
        CpuKvCache[] cache;

        static Rows of(List<SequenceChunk> chunks, GptjConfig c) {
            Rows r = new Rows();
            IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
            for (SequenceChunk ch : chunks) {
                if (!(ch.cache() instanceof CpuKvCache kv) || kv.isClosed()) {
                    throw new IllegalArgumentException("cache is not an open CPU cache");
                }
                if (seen.put(kv, Boolean.TRUE) != null) {
                    throw new IllegalArgumentException("a sequence appears twice in one batch");
                }
                if (kv.length() + ch.tokens().length > kv.capacity()) {
                    throw new IllegalArgumentException("cache overflow: " + kv.length() + " + " + ch.tokens().length
                            + " tokens exceed its capacity of " + kv.capacity());
                }
                for (int t : ch.tokens()) {
                    if (t < 0 || t >= c.vocabSize()) {
                        throw new IllegalArgumentException("token id " + t + " is out of range [0, " + c.vocabSize() + ")");
                    }
                }
                r.count += ch.tokens().length;
            }
            r.token = new int[r.count];
            r.pos = new int[r.count];
            r.cache = new CpuKvCache[r.count];
            int i = 0;
            for (SequenceChunk ch : chunks) {
                CpuKvCache kv = (CpuKvCache) ch.cache();
                for (int j = 0; j < ch.tokens().length; j++, i++) {
                    r.token[i] = ch.tokens()[j];
                    r.pos[i] = kv.length() + j;
                    r.cache[i] = kv;
                }
            }
            return r;
        }

        /** Rows {@code i .. i+count-1} belong to one sequence at consecutive positions. */
        boolean consecutive(int i, int count) {
            for (int k = 1; k < count; k++) {
                if (cache[i + k] != cache[i] || pos[i + k] != pos[i] + k) {
                    return false;
                }
            }
            return true;
        }

        int[] wantedRows(List<SequenceChunk> chunks) {
            List<Integer> out = new ArrayList<>();
            int start = 0;
            for (SequenceChunk ch : chunks) {
                int len = ch.tokens().length;
                for (int j = len - ch.logitRows(); j < len; j++) {
                    out.add(start + j);
                }
                start += len;
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}
