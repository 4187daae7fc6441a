package dev.switchboard.gptj.internal.kernel;

import static dev.switchboard.gptj.internal.kernel.Simd.F;
import static dev.switchboard.gptj.internal.kernel.Simd.L;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Vector kernels on heap activations (attention, residual). Each has a scalar twin in the tests. */
public final class VectorOps {

    private VectorOps() {
    }

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(Simd.LE);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(Simd.LE);

    /** {@code Σ a[ao+i]·b[i]} with {@code b} at byte {@code bo} of a segment, in {@link Matmul}'s canonical order. */
    public static float dot(float[] a, int ao, MemorySegment b, long bo, int n, float[] lanes) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromMemorySegment(F, b, bo + 4L * i, Simd.LE), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; i < n; i++) {
            s += a[ao + i] * b.get(FLOAT, bo + 4L * i);
        }
        return s;
    }

    /**
     * {@link #dot} of four heap vectors (at {@code a0..a3} of {@code a}) with the same segment vector, each
     * bit-identical to its {@code dot}: the segment is read once for four. {@code n} must be a multiple of
     * the vector length (no scalar tail).
     */
    public static void dot4(float[] a, int a0, int a1, int a2, int a3, MemorySegment b, long bo, int n, float[] out,
            float[] lanes) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int i = 0; i < n; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(F, b, bo + 4L * i, Simd.LE);
            s0 = FloatVector.fromArray(F, a, a0 + i).fma(v, s0);
            s1 = FloatVector.fromArray(F, a, a1 + i).fma(v, s1);
            s2 = FloatVector.fromArray(F, a, a2 + i).fma(v, s2);
            s3 = FloatVector.fromArray(F, a, a3 + i).fma(v, s3);
        }
        out[0] = Simd.sum(s0, lanes);
        out[1] = Simd.sum(s1, lanes);
        out[2] = Simd.sum(s2, lanes);
        out[3] = Simd.sum(s3, lanes);
    }

    /**
     * Four attention outputs at once: {@code y[yk + j] = Σ_{t < count} (p_k[t]·inv[k]) · x_t[j]} for
     * k = 0..3, {@code x_t} at byte {@code xo + t·stride} of the segment, j over {@code n} elements
     * (a multiple of 4 vectors), t in order — exactly what zeroing {@code y} and then {@link #axpy} with
     * {@code alpha = p_k[t]·inv[k]} for t = 0, 1, ... computes, bit for bit, but each {@code x_t} chunk is
     * read once for four rows and the sums stay in registers.
     */
    public static void weightedSum4(float[] p0, float[] p1, float[] p2, float[] p3, float[] inv, int count,
            MemorySegment x, long xo, long stride, int n, float[] y, int y0, int y1, int y2, int y3) {
        for (int j = 0; j < n; j += 4 * L) {
            FloatVector a00 = FloatVector.zero(F);
            FloatVector a01 = a00;
            FloatVector a02 = a00;
            FloatVector a03 = a00;
            FloatVector a10 = a00;
            FloatVector a11 = a00;
            FloatVector a12 = a00;
            FloatVector a13 = a00;
            FloatVector a20 = a00;
            FloatVector a21 = a00;
            FloatVector a22 = a00;
            FloatVector a23 = a00;
            FloatVector a30 = a00;
            FloatVector a31 = a00;
            FloatVector a32 = a00;
            FloatVector a33 = a00;
            long o = xo + 4L * j;
            for (int t = 0; t < count; t++, o += stride) {
                FloatVector v0 = FloatVector.fromMemorySegment(F, x, o, Simd.LE);
                FloatVector v1 = FloatVector.fromMemorySegment(F, x, o + 4L * L, Simd.LE);
                FloatVector v2 = FloatVector.fromMemorySegment(F, x, o + 8L * L, Simd.LE);
                FloatVector v3 = FloatVector.fromMemorySegment(F, x, o + 12L * L, Simd.LE);
                FloatVector w = FloatVector.broadcast(F, p0[t] * inv[0]);
                a00 = v0.fma(w, a00);
                a01 = v1.fma(w, a01);
                a02 = v2.fma(w, a02);
                a03 = v3.fma(w, a03);
                w = FloatVector.broadcast(F, p1[t] * inv[1]);
                a10 = v0.fma(w, a10);
                a11 = v1.fma(w, a11);
                a12 = v2.fma(w, a12);
                a13 = v3.fma(w, a13);
                w = FloatVector.broadcast(F, p2[t] * inv[2]);
                a20 = v0.fma(w, a20);
                a21 = v1.fma(w, a21);
                a22 = v2.fma(w, a22);
                a23 = v3.fma(w, a23);
                w = FloatVector.broadcast(F, p3[t] * inv[3]);
                a30 = v0.fma(w, a30);
                a31 = v1.fma(w, a31);
                a32 = v2.fma(w, a32);
                a33 = v3.fma(w, a33);
            }
            a00.intoArray(y, y0 + j);
            a01.intoArray(y, y0 + j + L);
            a02.intoArray(y, y0 + j + 2 * L);
            a03.intoArray(y, y0 + j + 3 * L);
            a10.intoArray(y, y1 + j);
            a11.intoArray(y, y1 + j + L);
            a12.intoArray(y, y1 + j + 2 * L);
            a13.intoArray(y, y1 + j + 3 * L);
            a20.intoArray(y, y2 + j);
            a21.intoArray(y, y2 + j + L);
            a22.intoArray(y, y2 + j + 2 * L);
            a23.intoArray(y, y2 + j + 3 * L);
            a30.intoArray(y, y3 + j);
            a31.intoArray(y, y3 + j + L);
            a32.intoArray(y, y3 + j + 2 * L);
            a33.intoArray(y, y3 + j + 3 * L);
        }
    }

    /**
     * One row of {@link #weightedSum4}: {@code y[yo + j] = Σ_{t < count} (p[t]·inv) · x_t[j]}, bit-identical
     * to zeroing {@code y} and then {@link #axpy} per t, with the sums kept in registers ({@code n} a
     * multiple of 4 vectors).
     */
    public static void weightedSum(float[] p, float inv, int count, MemorySegment x, long xo, long stride, int n,
            float[] y, int yo) {
        // A whole head of 128 or 256 floats (L = 16) per pass over the positions: every value row read once, in
        // order (chunks of 4 vectors read each row in 2-4 passes, each skipping the rest: 2.2× slower from memory)
        if (n % (16 * L) == 0) {
            weightedSumBy16(p, inv, count, x, xo, stride, n, y, yo);
            return;
        }
        if (n % (8 * L) == 0) {
            weightedSumBy8(p, inv, count, x, xo, stride, n, y, yo);
            return;
        }
        for (int j = 0; j < n; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            long o = xo + 4L * j;
            for (int t = 0; t < count; t++, o += stride) {
                FloatVector w = FloatVector.broadcast(F, p[t] * inv);
                a0 = FloatVector.fromMemorySegment(F, x, o, Simd.LE).fma(w, a0);
                a1 = FloatVector.fromMemorySegment(F, x, o + 4L * L, Simd.LE).fma(w, a1);
                a2 = FloatVector.fromMemorySegment(F, x, o + 8L * L, Simd.LE).fma(w, a2);
                a3 = FloatVector.fromMemorySegment(F, x, o + 12L * L, Simd.LE).fma(w, a3);
            }
            a0.intoArray(y, yo + j);
            a1.intoArray(y, yo + j + L);
            a2.intoArray(y, yo + j + 2 * L);
            a3.intoArray(y, yo + j + 3 * L);
        }
    }

    /** {@link #weightedSum} over 16 vectors at a time (n a multiple of 16 vectors). */
    private static void weightedSumBy16(float[] p, float inv, int count, MemorySegment x, long xo, long stride, int n,
            float[] y, int yo) {
        for (int j = 0; j < n; j += 16 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector a4 = a0;
            FloatVector a5 = a0;
            FloatVector a6 = a0;
            FloatVector a7 = a0;
            FloatVector a8 = a0;
            FloatVector a9 = a0;
            FloatVector a10 = a0;
            FloatVector a11 = a0;
            FloatVector a12 = a0;
            FloatVector a13 = a0;
            FloatVector a14 = a0;
            FloatVector a15 = a0;
            long o = xo + 4L * j;
            for (int t = 0; t < count; t++, o += stride) {
                FloatVector w = FloatVector.broadcast(F, p[t] * inv);
                a0 = FloatVector.fromMemorySegment(F, x, o, Simd.LE).fma(w, a0);
                a1 = FloatVector.fromMemorySegment(F, x, o + 4L * L, Simd.LE).fma(w, a1);
                a2 = FloatVector.fromMemorySegment(F, x, o + 8L * L, Simd.LE).fma(w, a2);
                a3 = FloatVector.fromMemorySegment(F, x, o + 12L * L, Simd.LE).fma(w, a3);
                a4 = FloatVector.fromMemorySegment(F, x, o + 16L * L, Simd.LE).fma(w, a4);
                a5 = FloatVector.fromMemorySegment(F, x, o + 20L * L, Simd.LE).fma(w, a5);
                a6 = FloatVector.fromMemorySegment(F, x, o + 24L * L, Simd.LE).fma(w, a6);
                a7 = FloatVector.fromMemorySegment(F, x, o + 28L * L, Simd.LE).fma(w, a7);
                a8 = FloatVector.fromMemorySegment(F, x, o + 32L * L, Simd.LE).fma(w, a8);
                a9 = FloatVector.fromMemorySegment(F, x, o + 36L * L, Simd.LE).fma(w, a9);
                a10 = FloatVector.fromMemorySegment(F, x, o + 40L * L, Simd.LE).fma(w, a10);
                a11 = FloatVector.fromMemorySegment(F, x, o + 44L * L, Simd.LE).fma(w, a11);
                a12 = FloatVector.fromMemorySegment(F, x, o + 48L * L, Simd.LE).fma(w, a12);
                a13 = FloatVector.fromMemorySegment(F, x, o + 52L * L, Simd.LE).fma(w, a13);
                a14 = FloatVector.fromMemorySegment(F, x, o + 56L * L, Simd.LE).fma(w, a14);
                a15 = FloatVector.fromMemorySegment(F, x, o + 60L * L, Simd.LE).fma(w, a15);
            }
            a0.intoArray(y, yo + j);
            a1.intoArray(y, yo + j + L);
            a2.intoArray(y, yo + j + 2 * L);
            a3.intoArray(y, yo + j + 3 * L);
            a4.intoArray(y, yo + j + 4 * L);
            a5.intoArray(y, yo + j + 5 * L);
            a6.intoArray(y, yo + j + 6 * L);
            a7.intoArray(y, yo + j + 7 * L);
            a8.intoArray(y, yo + j + 8 * L);
            a9.intoArray(y, yo + j + 9 * L);
            a10.intoArray(y, yo + j + 10 * L);
            a11.intoArray(y, yo + j + 11 * L);
            a12.intoArray(y, yo + j + 12 * L);
            a13.intoArray(y, yo + j + 13 * L);
            a14.intoArray(y, yo + j + 14 * L);
            a15.intoArray(y, yo + j + 15 * L);
        }
    }

    /** {@link #weightedSum} over 8 vectors at a time (n a multiple of 8 vectors). */
    private static void weightedSumBy8(float[] p, float inv, int count, MemorySegment x, long xo, long stride, int n,
            float[] y, int yo) {
        for (int j = 0; j < n; j += 8 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector a4 = a0;
            FloatVector a5 = a0;
            FloatVector a6 = a0;
            FloatVector a7 = a0;
            long o = xo + 4L * j;
            for (int t = 0; t < count; t++, o += stride) {
                FloatVector w = FloatVector.broadcast(F, p[t] * inv);
                a0 = FloatVector.fromMemorySegment(F, x, o, Simd.LE).fma(w, a0);
                a1 = FloatVector.fromMemorySegment(F, x, o + 4L * L, Simd.LE).fma(w, a1);
                a2 = FloatVector.fromMemorySegment(F, x, o + 8L * L, Simd.LE).fma(w, a2);
                a3 = FloatVector.fromMemorySegment(F, x, o + 12L * L, Simd.LE).fma(w, a3);
                a4 = FloatVector.fromMemorySegment(F, x, o + 16L * L, Simd.LE).fma(w, a4);
                a5 = FloatVector.fromMemorySegment(F, x, o + 20L * L, Simd.LE).fma(w, a5);
                a6 = FloatVector.fromMemorySegment(F, x, o + 24L * L, Simd.LE).fma(w, a6);
                a7 = FloatVector.fromMemorySegment(F, x, o + 28L * L, Simd.LE).fma(w, a7);
            }
            a0.intoArray(y, yo + j);
            a1.intoArray(y, yo + j + L);
            a2.intoArray(y, yo + j + 2 * L);
            a3.intoArray(y, yo + j + 3 * L);
            a4.intoArray(y, yo + j + 4 * L);
            a5.intoArray(y, yo + j + 5 * L);
            a6.intoArray(y, yo + j + 6 * L);
            a7.intoArray(y, yo + j + 7 * L);
        }
    }

    /** {@code y[yo+i] += alpha·x[i]} with {@code x} at byte {@code xo} of a segment (one fma per element). */
    public static void axpy(float alpha, MemorySegment x, long xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromMemorySegment(F, x, xo + 4L * i, Simd.LE).fma(va, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(x.get(FLOAT, xo + 4L * i), alpha, y[yo + i]);
        }
    }

    /** Copies {@code n} floats of {@code src} into a segment at byte {@code dstOffset}. */
    public static void store(float[] src, int from, MemorySegment dst, long dstOffset, int n) {
        MemorySegment.copy(src, from, dst, FLOAT, dstOffset, n);
    }

    // ---- the same attention kernels over a bfloat16 KV cache (KvCacheFormat.BF16) ----
    //
    // Offsets and strides are in bytes, 2 per element. Each element widens exactly to fp32 (Simd.bf16ToFloat),
    // and every operation after that is the fp32 kernel's, in the same order: each kernel computes what its
    // fp32 twin computes over the widened values, bit for bit.

    private static FloatVector loadBf16(MemorySegment s, long byteOffset) {
        return Simd.bf16ToFloat(ShortVector.fromMemorySegment(Simd.S, s, byteOffset, Simd.LE));
    }

    private static float bf16At(MemorySegment s, long byteOffset) {
        return Simd.bf16ToFloat(s.get(SHORT, byteOffset));
    }

    /** {@link #dot} with {@code b} in bfloat16 at byte {@code bo}. */
    public static float dotBf16(float[] a, int ao, MemorySegment b, long bo, int n, float[] lanes) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            acc = FloatVector.fromArray(F, a, ao + i).fma(loadBf16(b, bo + 2L * i), acc);
        }
        float s = Simd.sum(acc, lanes);
        for (; i < n; i++) {
            s += a[ao + i] * bf16At(b, bo + 2L * i);
        }
        return s;
    }

    /** {@link #dot4} with {@code b} in bfloat16 at byte {@code bo}. */
    public static void dot4Bf16(float[] a, int a0, int a1, int a2, int a3, MemorySegment b, long bo, int n, float[] out,
            float[] lanes) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int i = 0; i < n; i += L) {
            FloatVector v = loadBf16(b, bo + 2L * i);
            s0 = FloatVector.fromArray(F, a, a0 + i).fma(v, s0);
            s1 = FloatVector.fromArray(F, a, a1 + i).fma(v, s1);
            s2 = FloatVector.fromArray(F, a, a2 + i).fma(v, s2);
            s3 = FloatVector.fromArray(F, a, a3 + i).fma(v, s3);
        }
        out[0] = Simd.sum(s0, lanes);
        out[1] = Simd.sum(s1, lanes);
        out[2] = Simd.sum(s2, lanes);
        out[3] = Simd.sum(s3, lanes);
    }

    /** {@link #weightedSum4} with the {@code x_t} in bfloat16 ({@code xo}, {@code stride} in bytes). */
    public static void weightedSum4Bf16(float[] p0, float[] p1, float[] p2, float[] p3, float[] inv, int count,
            MemorySegment x, long xo, long stride, int n, float[] y, int y0, int y1, int y2, int y3) {
        for (int j = 0; j < n; j += 4 * L) {
            FloatVector a00 = FloatVector.zero(F);
            FloatVector a01 = a00;
            FloatVector a02 = a00;
            FloatVector a03 = a00;
            FloatVector a10 = a00;
            FloatVector a11 = a00;
            FloatVector a12 = a00;
            FloatVector a13 = a00;
            FloatVector a20 = a00;
            FloatVector a21 = a00;
            FloatVector a22 = a00;
            FloatVector a23 = a00;
            FloatVector a30 = a00;
            FloatVector a31 = a00;
            FloatVector a32 = a00;
            FloatVector a33 = a00;
            long o = xo + 2L * j;
            for (int t = 0; t < count; t++, o += stride) {
                FloatVector v0 = loadBf16(x, o);
                FloatVector v1 = loadBf16(x, o + 2L * L);
                FloatVector v2 = loadBf16(x, o + 4L * L);
                FloatVector v3 = loadBf16(x, o + 6L * L);
                FloatVector w = FloatVector.broadcast(F, p0[t] * inv[0]);
                a00 = v0.fma(w, a00);
                a01 = v1.fma(w, a01);
                a02 = v2.fma(w, a02);
                a03 = v3.fma(w, a03);
                w = FloatVector.broadcast(F, p1[t] * inv[1]);
                a10 = v0.fma(w, a10);
                a11 = v1.fma(w, a11);
                a12 = v2.fma(w, a12);
                a13 = v3.fma(w, a13);
                w = FloatVector.broadcast(F, p2[t] * inv[2]);
                a20 = v0.fma(w, a20);
                a21 = v1.fma(w, a21);
                a22 = v2.fma(w, a22);
                a23 = v3.fma(w, a23);
                w = FloatVector.broadcast(F, p3[t] * inv[3]);
                a30 = v0.fma(w, a30);
                a31 = v1.fma(w, a31);
                a32 = v2.fma(w, a32);
                a33 = v3.fma(w, a33);
            }
            a00.intoArray(y, y0 + j);
            a01.intoArray(y, y0 + j + L);
            a02.intoArray(y, y0 + j + 2 * L);
            a03.intoArray(y, y0 + j + 3 * L);
            a10.intoArray(y, y1 + j);
            a11.intoArray(y, y1 + j + L);
            a12.intoArray(y, y1 + j + 2 * L);
            a13.intoArray(y, y1 + j + 3 * L);
            a20.intoArray(y, y2 + j);
            a21.intoArray(y, y2 + j + L);
            a22.intoArray(y, y2 + j + 2 * L);
            a23.intoArray(y, y2 + j + 3 * L);
            a30.intoArray(y, y3 + j);
            a31.intoArray(y, y3 + j + L);
            a32.intoArray(y, y3 + j + 2 * L);
            a33.intoArray(y, y3 + j + 3 * L);
        }
    }

    /** {@link #weightedSum} with the {@code x_t} in bfloat16 ({@code xo}, {@code stride} in bytes). */
    public static void weightedSumBf16(float[] p, float inv, int count, MemorySegment x, long xo, long stride, int n,
            float[] y, int yo) {
        // As weightedSum, 8 vectors at most: 16 widening loads in one loop outgrow C2's inlining budget (boxed, 3× slower)
        if (n % (8 * L) == 0) {
            weightedSumBf16By8(p, inv, count, x, xo, stride, n, y, yo);
            return;
        }
        for (int j = 0; j < n; j += 4 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            long o = xo + 2L * j;
            for (int t = 0; t < count; t++, o += stride) {
                FloatVector w = FloatVector.broadcast(F, p[t] * inv);
                a0 = loadBf16(x, o).fma(w, a0);
                a1 = loadBf16(x, o + 2L * L).fma(w, a1);
                a2 = loadBf16(x, o + 4L * L).fma(w, a2);
                a3 = loadBf16(x, o + 6L * L).fma(w, a3);
            }
            a0.intoArray(y, yo + j);
            a1.intoArray(y, yo + j + L);
            a2.intoArray(y, yo + j + 2 * L);
            a3.intoArray(y, yo + j + 3 * L);
        }
    }

    /** {@link #weightedSumBf16} over 8 vectors at a time (n a multiple of 8 vectors). */
    private static void weightedSumBf16By8(float[] p, float inv, int count, MemorySegment x, long xo, long stride, int n,
            float[] y, int yo) {
        for (int j = 0; j < n; j += 8 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            FloatVector a4 = a0;
            FloatVector a5 = a0;
            FloatVector a6 = a0;
            FloatVector a7 = a0;
            long o = xo + 2L * j;
            for (int t = 0; t < count; t++, o += stride) {
                FloatVector w = FloatVector.broadcast(F, p[t] * inv);
                a0 = loadBf16(x, o).fma(w, a0);
                a1 = loadBf16(x, o + 2L * L).fma(w, a1);
                a2 = loadBf16(x, o + 4L * L).fma(w, a2);
                a3 = loadBf16(x, o + 6L * L).fma(w, a3);
                a4 = loadBf16(x, o + 8L * L).fma(w, a4);
                a5 = loadBf16(x, o + 10L * L).fma(w, a5);
                a6 = loadBf16(x, o + 12L * L).fma(w, a6);
                a7 = loadBf16(x, o + 14L * L).fma(w, a7);
            }
            a0.intoArray(y, yo + j);
            a1.intoArray(y, yo + j + L);
            a2.intoArray(y, yo + j + 2 * L);
            a3.intoArray(y, yo + j + 3 * L);
            a4.intoArray(y, yo + j + 4 * L);
            a5.intoArray(y, yo + j + 5 * L);
            a6.intoArray(y, yo + j + 6 * L);
            a7.intoArray(y, yo + j + 7 * L);
        }
    }

    /** {@link #axpy} with {@code x} in bfloat16 at byte {@code xo}. */
    public static void axpyBf16(float alpha, MemorySegment x, long xo, float[] y, int yo, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (; i + L <= n; i += L) {
            loadBf16(x, xo + 2L * i).fma(va, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(bf16At(x, xo + 2L * i), alpha, y[yo + i]);
        }
    }

    /**
     * Stores {@code n} floats of {@code src} as bfloat16 at byte {@code dstOffset} of a segment, each rounded
     * as {@link Simd#toBf16} rounds it (as {@code torch.Tensor.to(torch.bfloat16)} does).
     */
    public static void storeBf16(float[] src, int from, MemorySegment dst, long dstOffset, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            IntVector b = FloatVector.fromArray(F, src, from + i).reinterpretAsInts();
            IntVector high = b.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = b.add(high.and(1).add(0x7fff)).lanewise(VectorOperators.LSHR, 16);
            VectorMask<Integer> nan = b.and(0x7fffffff).compare(VectorOperators.GT, 0x7f800000);
            rounded = rounded.blend(high.or(0x40), nan);
            ((ShortVector) rounded.convertShape(VectorOperators.I2S, Simd.S, 0)).intoMemorySegment(dst, dstOffset + 2L * i,
                    Simd.LE);
        }
        for (; i < n; i++) {
            dst.set(SHORT, dstOffset + 2L * i, Simd.toBf16(src[from + i]));
        }
    }

    // ---- softmax numerators: exp of non-positive fp32 arguments, vectorized and deterministic ----
    //
    // Cephes' expf: n = round(x·log2 e) by the 1.5·2^23 trick, r = x - n·ln 2 in two parts, a degree-6
    // polynomial for e^r, scaled by 2^n through the exponent bits. Only IEEE +, ·, fma and bit operations,
    // so the vector lanes, the scalar tail and interpreted code give the same bits (a library exp — the
    // Vector API's EXP, SVML in C2 — may round differently from its interpreted fallback, so a prompt could
    // give other bits before and after the JIT). Within 2 ulp of Math.exp on [-87.3, 0] (KernelTest); below
    // that 0 (e^-87.3 ≈ 1.2e-38, nothing beside the 1 of the largest score).

    private static final float EXP_MIN = -87.3f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUNDER = 12582912f; // 1.5·2^23: adding and subtracting it rounds to an integer
    private static final float P0 = 1.9875691500e-4f;
    private static final float P1 = 1.3981999507e-3f;
    private static final float P2 = 8.3334519073e-3f;
    private static final float P3 = 4.1665795894e-2f;
    private static final float P4 = 1.6666665459e-1f;
    private static final float P5 = 5.0000001201e-1f;

    /** e^x for x ≤ 0 as {@link #softmaxNumerators} computes it (its scalar twin, the same bits). */
    public static float expNonPositive(float x) {
        if (x < EXP_MIN) {
            return 0f;
        }
        float n = (x * LOG2E + ROUNDER) - ROUNDER;
        float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, x));
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(P0, r, P1), r, P2), r, P3), r, P4), r, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    private static FloatVector expNonPositive(FloatVector x) {
        FloatVector n = x.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_LO), n.fma(FloatVector.broadcast(F, -LN2_HI), x));
        FloatVector p = FloatVector.broadcast(F, P0).fma(r, FloatVector.broadcast(F, P1)).fma(r, FloatVector.broadcast(F, P2))
                .fma(r, FloatVector.broadcast(F, P3)).fma(r, FloatVector.broadcast(F, P4)).fma(r, FloatVector.broadcast(F, P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector scale = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return y.mul(scale.reinterpretAsFloats()).blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /**
     * Softmax's numerators in place, {@code sc[t] = e^(sc[t] - max)} for t < count ({@link #expNonPositive}, a
     * vector at a time), and 1 / their sum (added in order, in double).
     */
    public static float softmaxNumerators(float[] sc, int count, float max) {
        int t = 0;
        for (; t + L <= count; t += L) {
            expNonPositive(FloatVector.fromArray(F, sc, t).sub(max)).intoArray(sc, t);
        }
        for (; t < count; t++) {
            sc[t] = expNonPositive(sc[t] - max);
        }
        double sum = 0;
        for (t = 0; t < count; t++) {
            sum += sc[t];
        }
        return (float) (1.0 / sum);
    }

    /** {@code x[xo+i] = (a[xo+i] + b[xo+i]) + x[xo+i]}: HF's {@code attn_output + feed_forward + residual}. */
    public static void addResidual(float[] x, float[] a, float[] b, int xo, int n) {
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector s = FloatVector.fromArray(F, a, xo + i).add(FloatVector.fromArray(F, b, xo + i));
            s.add(FloatVector.fromArray(F, x, xo + i)).intoArray(x, xo + i);
        }
        for (; i < n; i++) {
            x[xo + i] = (a[xo + i] + b[xo + i]) + x[xo + i];
        }
    }

    /**
     * LayerNorm of {@code x[xo..xo+n)} into {@code y[yo..)}: {@code (x - mean)/sqrt(var + eps)·w + b} with
     * the biased variance, as {@code torch.nn.LayerNorm}. Statistics in double.
     */
    public static void layerNorm(float[] x, int xo, float[] y, int yo, int n, float[] w, float[] b, float eps) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += x[xo + i];
        }
        double mean = sum / n;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double dv = x[xo + i] - mean;
            sq += dv * dv;
        }
        double rstd = 1.0 / Math.sqrt(sq / n + eps);
        for (int i = 0; i < n; i++) {
            y[yo + i] = (float) ((x[xo + i] - mean) * rstd) * w[i] + b[i];
        }
    }
}
