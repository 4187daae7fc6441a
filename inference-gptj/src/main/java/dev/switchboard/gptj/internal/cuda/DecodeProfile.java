package dev.switchboard.gptj.internal.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the pieces of a batch-1 decode step on the loaded model with CUDA events (for
 * bench/GPU-NOTES.md): each GEMV variant on the real weights of every layer, attention, LayerNorm,
 * a device-to-device copy as the bandwidth ceiling, and the whole step eager and as a graph.
 * Results are name -> value maps (GB/s or microseconds), printed by {@link CudaBench}.
 */
final class DecodeProfile {
    private final GptjDevice dev;
    private final CudaContext cx;
    private final MemorySegment start;
    private final MemorySegment end;

    DecodeProfile(GptjDevice dev) {
        this.dev = dev;
        this.cx = dev.context();
        this.start = cx.driver.eventCreate();
        this.end = cx.driver.eventCreate();
    }

    /** Median milliseconds of {@code body} over {@code reps} timed runs after 2 warm-ups. */
    private double time(int reps, Runnable body) {
        body.run();
        body.run();
        cx.synchronize();
        List<Double> ms = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            cx.driver.eventRecord(start, cx.stream);
            body.run();
            cx.driver.eventRecord(end, cx.stream);
            cx.driver.eventSynchronize(end);
            ms.add((double) cx.driver.eventElapsedMillis(start, end));
        }
        ms.sort(Double::compare);
        return ms.get(ms.size() / 2);
    }

    Map<String, String> run(int position) {
        Map<String, String> out = new LinkedHashMap<>();
        DevicePlan plan = dev.plan();
        ModelShape s = plan.shape();
        DeviceBuffers b = dev.buffers();
        DeviceWeights w = dev.weights();
        GptjKernels k = dev.kernels();
        int layers = s.nLayer(), e = s.nEmbd(), f = s.nInner();
        dev.setState(1, position, 0);
        cx.synchronize();

        long copyBytes = Math.min(1L << 30, cx.driver.memGetInfo()[0] / 4);
        long src = cx.alloc(copyBytes), dst = cx.alloc(copyBytes);
        cx.driver.memsetD32Async(src, 0x3C003C01, copyBytes / 4, cx.stream);
        double copyMs = time(10, () -> cx.driver.memcpyDtoDAsync(dst, src, copyBytes, cx.stream));
        out.put("copy_GBps(read+write)", fmt(2.0 * copyBytes / copyMs / 1e6));
        cx.free(src);
        cx.free(dst);

        double bytesQkv = 2.0 * s.qkvfcRows() * e * layers;
        double bytesResid = 2.0 * e * (e + f) * layers;
        double bytesLm = 2.0 * s.vocab() * e;
        long slotStride = plan.kvSlotElements();
        for (String rv : GemvVariant.COMPILED) {
            for (int threads : new int[] {64, 128, 256}) {
                GemvVariant v = GemvVariant.parse(rv + "t" + threads);
                if (v.rows() % 2 == 0) {
                    double ms = time(5, () -> {
                        for (int l = 0; l < layers; l++) {
                            k.gemvQkvFc(v, w.layers[l].wQkvFc(), b.h16, s, w.layers[l].bFcIn(), b.state, b.rope,
                                    b.q32, b.kCache[l], b.vCache[l], slotStride, plan.maxPos(), b.g16);
                        }
                    });
                    out.put("qkvfc_" + v + "_GBps", fmt(bytesQkv / ms / 1e6));
                }
                double msR = time(5, () -> {
                    for (int l = 0; l < layers; l++) {
                        DeviceWeights.Layer L = w.layers[l];
                        k.gemvResid(v, L.wOut(), b.a16, e, L.wFcOut(), b.g16, f, e, L.bFcOut(), b.x32);
                    }
                });
                out.put("resid_" + v + "_GBps", fmt(bytesResid / msR / 1e6));
                double msL = time(5, () -> {
                    for (int r = 0; r < 4; r++) {
                        k.gemvBias(v, w.lmHead, b.h16, e, s.vocab(), w.lmBias, b.logits);
                    }
                });
                out.put("lm_" + v + "_GBps", fmt(4 * bytesLm / msL / 1e6));
            }
        }
        int splits = plan.attnSplits(1);
        for (String kernel : new String[] {GptjKernels.ATTN_DECODE, GptjKernels.ATTN_DECODE_SERIAL}) {
            GptjKernels ka = new GptjKernels(cx, kernel);
            cx.setMaxDynamicShared(kernel, plan.attnSharedBytes(splits));
            double att = time(5, () -> {
                for (int l = 0; l < layers; l++) {
                    ka.attnDecode(b.q32, e, b.kCache[l], b.vCache[l], slotStride, plan.maxPos(), s, 1, b.state + 4,
                            b.state + 8, 4, splits, plan.attnSharedBytes(splits), b.part, b.counters, b.a16, e);
                }
            });
            out.put(kernel + "_us_per_layer@" + (position + 1), fmt(1000 * att / layers));
            out.put(kernel + "_kv_GBps", fmt(2.0 * 2 * (position + 1) * e * layers / att / 1e6));
        }
        double ln = time(5, () -> {
            for (int l = 0; l < layers; l++) {
                k.layernorm(b.x32, 1, 0, w.layers[l].ln1W(), w.layers[l].ln1B(), s.eps(), e, b.h16);
            }
        });
        out.put("layernorm_us", fmt(1000 * ln / layers));
        // whole steps; the state's position advances each greedy step, so reset it per timing
        dev.setState(1, position, 0);
        double eager = time(5, () -> dev.decodeStepEager(false));
        out.put("step_eager_ms", fmt(eager));
        dev.setState(1, position, 0);
        cx.synchronize();
        double graph = time(5, () -> {
            for (int r = 0; r < 10; r++) {
                dev.launchGreedyGraph();
            }
        }) / 10;
        out.put("step_graph_ms", fmt(graph));
        out.put("step_graph_weight_GBps", fmt(s.weightBytesPerToken() / graph / 1e6));
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    void close() {
        cx.driver.eventDestroy(start);
        cx.driver.eventDestroy(end);
    }
}
