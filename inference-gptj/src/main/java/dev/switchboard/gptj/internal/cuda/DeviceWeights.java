package dev.switchboard.gptj.internal.cuda;

import dev.switchboard.gptj.internal.model.GptjWeights;
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

    /** Copies the checkpoint's tensors to the GPU (shapes were checked by {@link GptjWeights#bind}). */
    static DeviceWeights upload(CudaContext cx, GptjWeights src, Progress progress) {
        try (Uploader up = new Uploader(cx)) {
            int e = src.config().nEmbd(), f = src.config().nInner();
            int nLayer = src.layers().size();
            int total = nLayer + 2;
            int done = 0;
            long wte = up.matrix(HostTensor.of(src.wte()));
            progress.update(++done, total);
            Layer[] layers = new Layer[nLayer];
            for (int l = 0; l < nLayer; l++) {
                GptjWeights.Layer in = src.layers().get(l);
                long rowBytes = 2L * e;
                long w1 = cx.alloc(rowBytes * (3L * e + f));
                up.matrixInto(HostTensor.of(in.q()), w1);
                up.matrixInto(HostTensor.of(in.k()), w1 + rowBytes * e);
                up.matrixInto(HostTensor.of(in.v()), w1 + rowBytes * 2 * e);
                up.matrixInto(HostTensor.of(in.fcIn()), w1 + rowBytes * 3 * e);
                layers[l] = new Layer(up.vector(HostTensor.of(in.ln1Weight())), up.vector(HostTensor.of(in.ln1Bias())),
                        w1, up.vector(HostTensor.of(in.fcInBias())), up.matrix(HostTensor.of(in.out())),
                        up.matrix(HostTensor.of(in.fcOut())), up.vector(HostTensor.of(in.fcOutBias())));
                progress.update(++done, total);
            }
            long lnfW = up.vector(HostTensor.of(src.lnFWeight()));
            long lnfB = up.vector(HostTensor.of(src.lnFBias()));
            long lm = up.matrix(HostTensor.of(src.lmHead()));
            long lmB = up.vector(HostTensor.of(src.lmHeadBias()));
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
