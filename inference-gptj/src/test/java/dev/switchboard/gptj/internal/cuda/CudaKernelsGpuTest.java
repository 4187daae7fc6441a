package dev.switchboard.gptj.internal.cuda;

import static dev.switchboard.gptj.internal.cuda.GpuSupport.download16;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.download32;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.downloadInts;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.poisoned;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.randomHalf;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.relativeError;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.upload16;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.upload32;
import static dev.switchboard.gptj.internal.cuda.GpuSupport.uploadInts;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each kernel against a plain double-precision reference on fresh random inputs, at sizes that hit
 * the ragged edges (rows not a multiple of the rows per warp, K not a multiple of the unrolled step,
 * sequence lengths not a multiple of 8). Skipped without a GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaKernelsGpuTest {
    private CudaContext cx;
    private GptjKernels k;
    private final SplittableRandom random = new SplittableRandom(20261127);

    @BeforeAll
    void open() {
        cx = GpuSupport.openOrSkip();
        k = new GptjKernels(cx);
    }

    @AfterAll
    void close() {
        if (cx != null) {
            cx.close();
        }
    }

    private static double[] gemvRef(float[] w, float[] x, int n, int kk) {
        double[] y = new double[n];
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int c = 0; c < kk; c++) {
                s += (double) w[r * kk + c] * x[c];
            }
            y[r] = s;
        }
        return y;
    }

    @Test
    void everyGemvVariantMatchesTheReferenceAtRaggedSizes() {
        int[][] sizes = {{37, 72}, {1000, 4104}, {130, 2048}, {5, 8}};
        for (String rv : GemvVariant.COMPILED) {
            for (int threads : new int[] {64, 128, 256}) {
                GemvVariant v = GemvVariant.parse(rv + "t" + threads);
                for (int[] size : sizes) {
                    int n = size[0], kk = size[1];
                    float[] w = randomHalf(random, n * kk, 1.0);
                    float[] x = randomHalf(random, kk, 1.0);
                    float[] bias = randomHalf(random, n, 1.0);
                    long dw = upload16(cx, w), dx = upload16(cx, x), db = upload32(cx, bias);
                    long out = poisoned(cx, 4L * n);
                    k.gemvBias(v, dw, dx, kk, n, db, out);
                    double[] ref = gemvRef(w, x, n, kk);
                    for (int i = 0; i < n; i++) {
                        ref[i] += bias[i];
                    }
                    assertThat(relativeError(download32(cx, out, n), ref)).as("%s n=%d k=%d", v, n, kk)
                            .isLessThan(1e-5);
                    for (long p : new long[] {dw, dx, db, out}) {
                        cx.free(p);
                    }
                }
            }
        }
    }

    @Test
    void gemvResidAddsBothProductsTheBiasAndTheResidual() {
        int n = 300, ka = 264, kb = 1032;
        float[] wa = randomHalf(random, n * ka, 1.0), xa = randomHalf(random, ka, 1.0);
        float[] wb = randomHalf(random, n * kb, 1.0), xb = randomHalf(random, kb, 1.0);
        float[] bias = randomHalf(random, n, 1.0), x0 = randomHalf(random, n, 4.0);
        for (String rv : GemvVariant.COMPILED) {
            GemvVariant v = GemvVariant.parse(rv + "t128");
            long dx = upload32(cx, x0);
            k.gemvResid(v, upload16(cx, wa), upload16(cx, xa), ka, upload16(cx, wb), upload16(cx, xb), kb, n,
                    upload32(cx, bias), dx);
            double[] ref = gemvRef(wa, xa, n, ka);
            double[] refB = gemvRef(wb, xb, n, kb);
            for (int i = 0; i < n; i++) {
                ref[i] += refB[i] + bias[i] + x0[i];
            }
            assertThat(relativeError(download32(cx, dx, n), ref)).as(v.toString()).isLessThan(1e-5);
        }
    }

    /** Reference of the qkvfc epilogue for one position: q rotated (fp32), k rotated, v, gelu(fc_in + b). */
    private record QkvRef(double[] q, double[] k, double[] v, double[] g) {}

    private static QkvRef qkvRef(ModelShape s, float[] w1, float[] h, float[] bIn, float[] rope, int pos) {
        int e = s.nEmbd(), f = s.nInner(), d = s.headDim(), r = s.rotaryDim();
        double[] y = gemvRef(w1, h, s.qkvfcRows(), e);
        double[][] qk = new double[2][e];
        for (int which = 0; which < 2; which++) {
            for (int c = 0; c < e; c++) {
                int dd = c % d;
                double val = y[which * e + c];
                if (dd < r) {
                    double cos = rope[(pos * (r / 2) + dd / 2) * 2], sin = rope[(pos * (r / 2) + dd / 2) * 2 + 1];
                    double partner = y[which * e + (c ^ 1)];
                    val = (dd % 2 == 0) ? val * cos - partner * sin : val * cos + partner * sin;
                }
                qk[which][c] = val;
            }
        }
        double[] v = new double[e];
        System.arraycopy(y, 2 * e, v, 0, e);
        double[] g = new double[f];
        for (int j = 0; j < f; j++) {
            double z = y[3 * e + j] + bIn[j];
            g[j] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
        }
        return new QkvRef(qk[0], qk[1], v, g);
    }

    /** Reads cache[slot][h][pos][0..D) for all heads as one [E] row. */
    private float[] cacheRow(long cache, ModelShape s, int maxPos, int slot, int pos) {
        int d = s.headDim();
        float[] all = download16(cx, cache, 2 * s.nHead() * maxPos * d);
        float[] row = new float[s.nEmbd()];
        for (int h = 0; h < s.nHead(); h++) {
            System.arraycopy(all, ((slot * s.nHead() + h) * maxPos + pos) * d, row, h * d, d);
        }
        return row;
    }

    @Test
    void qkvFcGemvAndGemmEpilogueRotateStoreAndActivate() {
        ModelShape s = new ModelShape(64, 1, 4, 8, 256, 100, 32, 1e-5f, 0);
        int maxPos = 16, pos = 5, slot = 1, slots = 2;
        float[] w1 = randomHalf(random, s.qkvfcRows() * s.nEmbd(), 0.5);
        float[] h = randomHalf(random, s.nEmbd(), 1.0);
        float[] bIn = randomHalf(random, s.nInner(), 0.5);
        float[] rope = RopeTable.build(maxPos, s.rotaryDim());
        QkvRef ref = qkvRef(s, w1, h, bIn, rope, pos);
        long slotStride = (long) s.nHead() * maxPos * s.headDim();
        long dRope = upload32(cx, rope), dB = upload32(cx, bIn), dW = upload16(cx, w1), dH = upload16(cx, h);
        for (String rv : new String[] {"r2u2", "r4u4", "r2u8"}) {
            long kc = poisoned(cx, 2 * slotStride * slots), vc = poisoned(cx, 2 * slotStride * slots);
            long q = poisoned(cx, 4L * s.nEmbd()), g = poisoned(cx, 2L * s.nInner());
            long state = uploadInts(cx, new int[] {0, pos, slot, 0});
            k.gemvQkvFc(GemvVariant.parse(rv + "t128"), dW, dH, s, dB, state, dRope, q, kc, vc, slotStride, maxPos, g);
            assertThat(relativeError(download32(cx, q, s.nEmbd()), ref.q())).as("q " + rv).isLessThan(1e-5);
            assertThat(relativeError(cacheRow(kc, s, maxPos, slot, pos), ref.k())).as("k " + rv).isLessThan(2e-3);
            assertThat(relativeError(cacheRow(vc, s, maxPos, slot, pos), ref.v())).as("v " + rv).isLessThan(2e-3);
            assertThat(relativeError(download16(cx, g, s.nInner()), ref.g())).as("g " + rv).isLessThan(2e-3);
            // nothing else in the cache was written
            float[] other = cacheRow(kc, s, maxPos, 0, pos);
            assertThat(Float.isNaN(other[0])).as("slot 0 untouched").isTrue();
        }
        // the GEMM-path epilogue on the same product (computed on the host, as cuBLAS would)
        double[] y = gemvRef(w1, h, s.qkvfcRows(), s.nEmbd());
        float[] yf = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            yf[i] = (float) y[i];
        }
        long kc = poisoned(cx, 2 * slotStride * slots), vc = poisoned(cx, 2 * slotStride * slots);
        long q32 = poisoned(cx, 4L * s.nEmbd()), q16 = poisoned(cx, 2L * s.nEmbd()), g = poisoned(cx, 2L * s.nInner());
        k.qkvEpilogue(upload32(cx, yf), 1, s, dB, dRope, uploadInts(cx, new int[] {pos}),
                uploadInts(cx, new int[] {slot}), q32, q16, kc, vc, slotStride, maxPos, g);
        assertThat(relativeError(download32(cx, q32, s.nEmbd()), ref.q())).as("epilogue q32").isLessThan(1e-6);
        assertThat(relativeError(download16(cx, q16, s.nEmbd()), ref.q())).as("epilogue q16").isLessThan(2e-3);
        assertThat(relativeError(cacheRow(kc, s, maxPos, slot, pos), ref.k())).as("epilogue k").isLessThan(2e-3);
        assertThat(relativeError(cacheRow(vc, s, maxPos, slot, pos), ref.v())).as("epilogue v").isLessThan(2e-3);
        assertThat(relativeError(download16(cx, g, s.nInner()), ref.g())).as("epilogue g").isLessThan(2e-3);
    }

    @ParameterizedTest
    @ValueSource(strings = {GptjKernels.ATTN_DECODE, GptjKernels.ATTN_DECODE_SERIAL})
    void decodeAttentionMatchesSoftmaxAttentionForManyLengthsAndRows(String kernel) {
        GptjKernels k = new GptjKernels(cx, kernel);
        int[][] shapes = {{16, 256, 2048}, {4, 16, 40}, {3, 64, 600}};  // heads, headDim, maxPos
        for (int[] shape : shapes) {
            int heads = shape[0], d = shape[1], maxPos = shape[2];
            ModelShape s = new ModelShape(heads * d, 1, heads, 0, 8, 8, maxPos, 1e-5f, 0);
            int slots = 3;
            int[][] rowsCases = {{1}, {7}, {maxPos}, {maxPos - 3, 1, 9}};
            for (int[] lens : rowsCases) {
                int rows = lens.length;
                DevicePlan plan = new DevicePlan(s, slots, maxPos, 8, cx.multiprocessors(),
                        GemvVariant.parse("r4u4t128"), GemvVariant.parse("r2u4t128"), GemvVariant.parse("r4u4t128"));
                int splits = plan.attnSplits(rows);
                cx.setMaxDynamicShared(kernel, plan.attnSharedBytes(splits));
                long slotStride = plan.kvSlotElements();
                float[] kAll = randomHalf(random, (int) (slotStride * slots), 1.0);
                float[] vAll = randomHalf(random, (int) (slotStride * slots), 1.0);
                float[] q = randomHalf(random, rows * s.nEmbd(), 1.0);
                int[] pos = new int[rows];
                int[] slot = new int[rows];
                for (int i = 0; i < rows; i++) {
                    pos[i] = lens[i] - 1;
                    slot[i] = (i + 1) % slots;
                }
                long dk = upload16(cx, kAll), dv = upload16(cx, vAll), dq = upload32(cx, q);
                long part = cx.alloc(4 * plan.attnPartialFloats());
                long counters = cx.allocZeroed(4L * slots * heads);
                long out = poisoned(cx, 2L * rows * s.nEmbd());
                long dPos = uploadInts(cx, pos), dSlot = uploadInts(cx, slot);
                for (int repeat = 0; repeat < 2; repeat++) {  // the merge counters must reset themselves
                    k.attnDecode(dq, s.nEmbd(), dk, dv, slotStride, maxPos, s, rows, dPos, dSlot, 1, splits,
                            plan.attnSharedBytes(splits), part, counters, out, s.nEmbd());
                    float[] got = download16(cx, out, rows * s.nEmbd());
                    double[] ref = new double[rows * s.nEmbd()];
                    for (int b = 0; b < rows; b++) {
                        for (int h = 0; h < heads; h++) {
                            long base = slot[b] * slotStride + (long) h * maxPos * d;
                            double[] sc = new double[lens[b]];
                            double m = Double.NEGATIVE_INFINITY;
                            for (int p = 0; p < lens[b]; p++) {
                                double dot = 0;
                                for (int j = 0; j < d; j++) {
                                    dot += q[b * s.nEmbd() + h * d + j] * kAll[(int) (base + (long) p * d + j)];
                                }
                                sc[p] = dot / Math.sqrt(d);
                                m = Math.max(m, sc[p]);
                            }
                            double l = 0;
                            for (int p = 0; p < lens[b]; p++) {
                                sc[p] = Math.exp(sc[p] - m);
                                l += sc[p];
                            }
                            for (int j = 0; j < d; j++) {
                                double acc = 0;
                                for (int p = 0; p < lens[b]; p++) {
                                    acc += sc[p] * vAll[(int) (base + (long) p * d + j)];
                                }
                                ref[b * s.nEmbd() + h * d + j] = acc / l;
                            }
                        }
                    }
                    assertThat(relativeError(got, ref)).as("%s: heads %d, D %d, lens %s, pass %d", kernel, heads, d,
                            java.util.Arrays.toString(lens), repeat).isLessThan(2e-3);
                }
                for (long p : new long[] {dk, dv, dq, part, counters, out, dPos, dSlot}) {
                    cx.free(p);
                }
            }
        }
    }

    @Test
    void layerNormAddsThePendingBiasAndNormalises() {
        int e = 4096, rows = 3;
        float[] x = randomHalf(random, rows * e, 3.0);
        float[] bias = randomHalf(random, e, 1.0), w = randomHalf(random, e, 1.0), b = randomHalf(random, e, 1.0);
        long dx = upload32(cx, x);
        long out = poisoned(cx, 2L * rows * e);
        k.layernorm(dx, rows, upload32(cx, bias), upload32(cx, w), upload32(cx, b), 1e-5f, e, out);
        double[] ref = new double[rows * e];
        for (int r = 0; r < rows; r++) {
            double mean = 0, var = 0;
            for (int i = 0; i < e; i++) {
                mean += x[r * e + i] + bias[i];
            }
            mean /= e;
            for (int i = 0; i < e; i++) {
                double dlt = x[r * e + i] + bias[i] - mean;
                var += dlt * dlt;
            }
            var /= e;
            for (int i = 0; i < e; i++) {
                ref[r * e + i] = (x[r * e + i] + bias[i] - mean) / Math.sqrt(var + 1e-5) * w[i] + b[i];
            }
        }
        assertThat(relativeError(download16(cx, out, rows * e), ref)).isLessThan(1e-3);
        float[] x2 = download32(cx, dx, e);
        assertThat(x2[10]).isEqualTo(x[10] + bias[10]);
    }

    @Test
    void argmaxTakesTheFirstMaximumAndAdvancesTheDecodeState() {
        int v = 50400;
        float[] logits = randomHalf(random, 2 * v, 1.0);
        logits[777] = 5f;
        logits[40000] = 5f;      // tie: the first index wins
        logits[v + 50399] = 7f;  // last element of row 1
        long dl = upload32(cx, logits);
        long tok = poisoned(cx, 8);
        k.argmaxRows(dl, 2, v, tok, 0, 0);
        assertThat(downloadInts(cx, tok, 2)).containsExactly(777, 50399);
        long state = uploadInts(cx, new int[] {0, 9, 0, 2});
        long outList = cx.allocZeroed(16);
        k.argmaxRows(dl, 1, v, state, state, outList);
        assertThat(downloadInts(cx, state, 4)).containsExactly(777, 10, 0, 3);
        assertThat(downloadInts(cx, outList, 4)).containsExactly(0, 0, 777, 0);
    }

    @Test
    void causalSoftmaxMasksFutureKeysPerRow() {
        int t = 5, start = 3, lk = start + t, heads = 2, d = 16;
        float[] sc = randomHalf(random, heads * t * lk, 4.0);
        long dp = poisoned(cx, 2L * heads * t * lk);
        k.softmaxCausal(upload32(cx, sc), dp, t, lk, start, heads, d);
        float[] got = download16(cx, dp, heads * t * lk);
        double[] ref = new double[got.length];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                int row = (h * t + i) * lk, valid = start + i + 1;
                double m = Double.NEGATIVE_INFINITY, l = 0;
                for (int j = 0; j < valid; j++) {
                    m = Math.max(m, sc[row + j] / Math.sqrt(d));
                }
                for (int j = 0; j < valid; j++) {
                    l += Math.exp(sc[row + j] / Math.sqrt(d) - m);
                }
                for (int j = 0; j < valid; j++) {
                    ref[row + j] = Math.exp(sc[row + j] / Math.sqrt(d) - m) / l;
                }
            }
        }
        assertThat(relativeError(got, ref)).isLessThan(1e-3);
        assertThat(got[lk - 1]).as("row 0 cannot see the last key").isZero();
    }

    @Test
    void embedWidensTheTokensRow() {
        int v = 10, e = 24;
        float[] wte = randomHalf(random, v * e, 1.0);
        long x = poisoned(cx, 4L * 2 * e);
        k.embed(uploadInts(cx, new int[] {7, 2}), 2, upload16(cx, wte), v, e, x);
        float[] got = download32(cx, x, 2 * e);
        assertThat(got[0]).isEqualTo(wte[7 * e]);
        assertThat(got[e + e - 1]).isEqualTo(wte[2 * e + e - 1]);
    }
}
