package dev.switchboard.gptj.internal.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed launchers for the kernels of gptj_kernels.cu, one method per kernel, parameters in the
 * kernel's order. Each launch goes onto the context's stream (and into a graph while one is being
 * captured). Device pointers are longs; 0 is a null pointer.
 */
final class GptjKernels {
    static final String EMBED = "embed";
    static final String LAYERNORM = "layernorm";
    static final String ADD_BIAS_ROWS = "add_bias_rows";
    static final String QKV_EPILOGUE = "qkv_epilogue";
    static final String ATTN_DECODE = "attn_decode";
    static final String ATTN_DECODE_SERIAL = "attn_decode_serial_merge";
    static final String SOFTMAX_CAUSAL = "softmax_causal";
    static final String ARGMAX_ROWS = "argmax_rows";
    static final List<String> GEMV_KINDS = List.of("qkvfc", "resid", "bias");

    /** Every kernel this class may launch (KernelImageTest checks each is in the fatbin). */
    static List<String> allKernelNames() {
        List<String> names = new ArrayList<>(List.of(EMBED, LAYERNORM, ADD_BIAS_ROWS, QKV_EPILOGUE, ATTN_DECODE,
                ATTN_DECODE_SERIAL, SOFTMAX_CAUSAL, ARGMAX_ROWS));
        for (String rv : GemvVariant.COMPILED) {
            for (String kind : GEMV_KINDS) {
                names.add(GemvVariant.parse(rv + "t128").kernel(kind));
            }
        }
        return names;
    }

    private final CudaContext cx;
    private final String attnKernel;

    /** Decode attention merges its splits in parallel unless -Dswitchboard.cuda.attn=serial. */
    GptjKernels(CudaContext cx) {
        this(cx, "serial".equals(System.getProperty("switchboard.cuda.attn")) ? ATTN_DECODE_SERIAL : ATTN_DECODE);
    }

    GptjKernels(CudaContext cx, String attnKernel) {
        this.cx = cx;
        this.attnKernel = attnKernel;
    }

    String attnKernel() {
        return attnKernel;
    }

    void embed(long tokens, int rows, long wte, int vocab, int e, long x) {
        cx.launch(EMBED, rows, 1, 1, 256, 0, a -> a.l(tokens).l(wte).i(vocab).i(e).l(x));
    }

    void layernorm(long x, int rows, long pendingBias, long w, long b, float eps, int e, long out) {
        int threads = e >= 4096 ? 1024 : e >= 1024 ? 512 : 256;
        cx.launch(LAYERNORM, rows, 1, 1, threads, 0,
                a -> a.l(x).l(pendingBias).l(w).l(b).f(eps).i(e).l(out));
    }

    void addBiasRows(long y, int rows, int n, long bias) {
        long total = (long) rows * n;
        int blocks = (int) Math.min(4096, (total + 255) / 256);
        cx.launch(ADD_BIAS_ROWS, blocks, 1, 1, 256, 0, a -> a.l(y).i(rows).i(n).l(bias));
    }

    void gemvQkvFc(GemvVariant v, long w, long h, ModelShape s, long bIn, long state, long rope, long qOut,
                   long kc, long vc, long slotStride, int maxPos, long gOut) {
        cx.launch(v.kernel("qkvfc"), v.blocks(s.qkvfcRows()), 1, 1, v.threads(), 0,
                a -> a.l(w).l(h).i(s.nEmbd()).i(s.nInner()).i(s.headDim()).i(s.rotaryDim()).i(s.activation()).l(bIn).l(state)
                        .l(rope).l(qOut).l(kc).l(vc).l(slotStride).i(maxPos).l(gOut));
    }

    void gemvResid(GemvVariant v, long wa, long xa, int ka, long wb, long xb, int kb, int n, long bias, long x) {
        cx.launch(v.kernel("resid"), v.blocks(n), 1, 1, v.threads(), 0,
                a -> a.l(wa).l(xa).i(ka).l(wb).l(xb).i(kb).i(n).l(bias).l(x));
    }

    void gemvBias(GemvVariant v, long w, long x, int k, int n, long bias, long out) {
        cx.launch(v.kernel("bias"), v.blocks(n), 1, 1, v.threads(), 0,
                a -> a.l(w).l(x).i(k).i(n).l(bias).l(out));
    }

    void qkvEpilogue(long y, int rows, ModelShape s, long bIn, long rope, long rowPos, long rowSlot, long q32,
                     long q16, long kc, long vc, long slotStride, int maxPos, long g16) {
        int pairs = s.qkvfcRows() / 2;
        cx.launch(QKV_EPILOGUE, (pairs + 255) / 256, rows, 1, 256, 0,
                a -> a.l(y).i(s.nEmbd()).i(s.nInner()).i(s.headDim()).i(s.rotaryDim()).i(s.activation()).l(bIn).l(rope)
                        .l(rowPos)
                        .l(rowSlot).l(q32).l(q16).l(kc).l(vc).l(slotStride).i(maxPos).l(g16));
    }

    /**
     * Decode attention for {@code rows} rows; row b's position and slot are read on the device at
     * rowPos[b * rowStride] and rowSlot[b * rowStride] (rowSlot 0: slot 0).
     */
    void attnDecode(long q, int ldq, long kc, long vc, long slotStride, int maxPos, ModelShape s, int rows,
                    long rowPos, long rowSlot, int rowStride, int splits, int sharedBytes, long part,
                    long counters, long out, int ldo) {
        cx.launch(attnKernel, splits, s.nHead(), rows, DevicePlan.ATTN_THREADS, sharedBytes,
                a -> a.l(q).i(ldq).l(kc).l(vc).l(slotStride).i(maxPos).i(s.headDim()).i(s.nHead()).l(rowPos)
                        .l(rowSlot).i(rowStride).l(part).l(counters).l(out).i(ldo));
    }

    void softmaxCausal(long scores, long probs, int t, int lk, int start, int heads, int headDim) {
        cx.launch(SOFTMAX_CAUSAL, t, heads, 1, 256, 0,
                a -> a.l(scores).l(probs).i(t).i(lk).i(start).i(headDim));
    }

    void argmaxRows(long logits, int rows, int vocab, long tokOut, long state, long outList) {
        cx.launch(ARGMAX_ROWS, rows, 1, 1, 1024, 0,
                a -> a.l(logits).i(vocab).l(tokOut).l(state).l(outList));
    }
}
