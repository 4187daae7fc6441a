package dev.switchboard.gptj.internal.cuda;

import java.lang.foreign.MemorySegment;

/**
 * GPT-J weights resident on the GPU: matrices as fp16, vectors (LayerNorm, biases) as fp32.
 * Per layer, Wq, Wk, Wv and Wfc_in sit back to back as one [3E+F][E] matrix (they all multiply
 * ln_1(x)), so decode reads them in one GEMV and prefill in one GEMM.
 */
final class DeviceWeights {
    record Layer(long ln1W, long ln1B, long wQkvFc, long bFcIn, long wOut, long wFcOut, long bFcOut) {}

    final Layer[] layers;
    final long wte;
    final long lnfW;
    final long lnfB;
    final long lmHead;
    final long lmBias;
    final long bytes;

    private DeviceWeights(Layer[] layers, long wte, long lnfW, long lnfB, long lmHead, long lmBias, long bytes) {
        this.layers = layers;
        this.wte = wte;
        this.lnfW = lnfW;
        this.lnfB = lnfB;
        this.lmHead = lmHead;
        this.lmBias = lmBias;
        this.bytes = bytes;
    }

    /** Reports upload progress: tensors done out of total. */
    interface Progress {
        void update(int done, int total);
    }

    static DeviceWeights upload(CudaContext cx, ModelShape s, TensorSource src, Progress progress) {
        try (Uploader up = new Uploader(cx)) {
            int e = s.nEmbd(), f = s.nInner(), v = s.vocab();
            int total = 3 + s.nLayer() + 1;
            int done = 0;
            long wte = up.matrix(src.tensor("transformer.wte.weight").expectShape(v, e));
            progress.update(++done, total);
            Layer[] layers = new Layer[s.nLayer()];
            for (int l = 0; l < s.nLayer(); l++) {
                String p = "transformer.h." + l + ".";
                long ln1W = up.vector(src.tensor(p + "ln_1.weight").expectShape(e));
                long ln1B = up.vector(src.tensor(p + "ln_1.bias").expectShape(e));
                long rowBytes = 2L * e;
                long w1 = cx.alloc(rowBytes * s.qkvfcRows());
                up.matrixInto(src.tensor(p + "attn.q_proj.weight").expectShape(e, e), w1);
                up.matrixInto(src.tensor(p + "attn.k_proj.weight").expectShape(e, e), w1 + rowBytes * e);
                up.matrixInto(src.tensor(p + "attn.v_proj.weight").expectShape(e, e), w1 + rowBytes * 2 * e);
                up.matrixInto(src.tensor(p + "mlp.fc_in.weight").expectShape(f, e), w1 + rowBytes * 3 * e);
                long bIn = up.vector(src.tensor(p + "mlp.fc_in.bias").expectShape(f));
                long wOut = up.matrix(src.tensor(p + "attn.out_proj.weight").expectShape(e, e));
                long wFc = up.matrix(src.tensor(p + "mlp.fc_out.weight").expectShape(e, f));
                long bOut = up.vector(src.tensor(p + "mlp.fc_out.bias").expectShape(e));
                layers[l] = new Layer(ln1W, ln1B, w1, bIn, wOut, wFc, bOut);
                progress.update(++done, total);
            }
            long lnfW = up.vector(src.tensor("transformer.ln_f.weight").expectShape(e));
            long lnfB = up.vector(src.tensor("transformer.ln_f.bias").expectShape(e));
            progress.update(++done, total);
            long lm = up.matrix(src.tensor("lm_head.weight").expectShape(v, e));
            progress.update(++done, total);
            long lmB = up.vector(src.tensor("lm_head.bias").expectShape(v));
            progress.update(++done, total);
            // pageable copies may still be in flight on the legacy stream, which our non-blocking
            // stream does not wait for
            cx.driver.ctxSynchronize();
            return new DeviceWeights(layers, wte, lnfW, lnfB, lm, lmB, up.bytes);
        }
    }

    /** Host-to-device copies, converting through a pinned staging buffer where the dtype differs. */
    private static final class Uploader implements AutoCloseable {
        private static final long STAGE = 64L << 20;
        private final CudaContext cx;
        private final MemorySegment stage;
        long bytes;

        Uploader(CudaContext cx) {
            this.cx = cx;
            this.stage = cx.driver.memHostAlloc(STAGE);
        }

        long matrix(HostTensor t) {
            long d = cx.alloc(2 * t.elements());
            matrixInto(t, d);
            return d;
        }

        void matrixInto(HostTensor t, long dst) {
            long n = t.elements();
            bytes += 2 * n;
            if (t.dtype() == HostTensor.DType.F16) {
                // straight from the (mapped) file: the driver stages pageable memory itself
                for (long off = 0; off < 2 * n; off += STAGE) {
                    long len = Math.min(STAGE, 2 * n - off);
                    cx.driver.memcpyHtoD(dst + off, t.data().asSlice(off, len), len);
                }
                return;
            }
            long per = STAGE / 2;
            for (long i = 0; i < n; i += per) {
                long cnt = Math.min(per, n - i);
                HalfConversion.toF16(t.data(), t.dtype(), i, cnt, stage);
                cx.driver.memcpyHtoD(dst + 2 * i, stage, 2 * cnt);
            }
        }

        long vector(HostTensor t) {
            long n = t.elements();
            long d = cx.alloc(4 * n);
            bytes += 4 * n;
            long per = STAGE / 4;
            for (long i = 0; i < n; i += per) {
                long cnt = Math.min(per, n - i);
                HalfConversion.toF32(t.data(), t.dtype(), i, cnt, stage);
                cx.driver.memcpyHtoD(d + 4 * i, stage, 4 * cnt);
            }
            return d;
        }

        @Override
        public void close() {
            cx.driver.memFreeHost(stage);
        }
    }
}
