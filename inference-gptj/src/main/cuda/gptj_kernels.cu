// GPT-J kernels for the CUDA backend of inference-gptj.
//
// Compiled ahead of time by build-kernels.sh into a fatbin (sm_90 machine code + compute_90 PTX,
// so newer GPUs JIT the PTX) that Java loads with cuModuleLoadData. Every kernel is extern "C"
// so Java finds it by its plain name. The launch code that matches these signatures lives in
// dev.switchboard.gptj.internal.cuda.GptjKernels; keep the two in step.
//
// Numerics (the contract the tests check): weights and the KV cache are fp16; every dot product,
// LayerNorm, softmax and the residual stream are fp32. Activations that feed a matrix product
// (LayerNorm output, attention output, gelu output) are rounded to fp16, as HF does in fp16.
//
// Layouts (row-major, element counts):
//   residual x        fp32 [rows][E]
//   KV cache          fp16 per layer: [slot][H][maxPos][D], K and V in separate arrays
//   rope table        fp32 [maxPos][R/2][2] = (cos, sin), built on the host like HF's table
//   decode state      int  {token, pos, slot, step} for the graph-captured batch-1 decode
#include <cuda_fp16.h>
#include <stdint.h>

#define FULL_MASK 0xffffffffu

// ---------------------------------------------------------------------------------------------
// helpers

// Weights are read exactly once per token: stream them past L1 (no_allocate) with a 256-byte L2
// prefetch hint. Not volatile, so the compiler may hoist several of them ahead of their use.
__device__ __forceinline__ uint4 ld_weights(const __half* p) {
    uint4 r;
    asm("ld.global.nc.L1::no_allocate.L2::256B.v4.u32 {%0,%1,%2,%3}, [%4];"
        : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w)
        : "l"(p));
    return r;
}

__device__ __forceinline__ void to_float8(uint4 v, float (&f)[8]) {
    const __half2* h = reinterpret_cast<const __half2*>(&v);
#pragma unroll
    for (int i = 0; i < 4; i++) {
        float2 t = __half22float2(h[i]);
        f[2 * i] = t.x;
        f[2 * i + 1] = t.y;
    }
}

__device__ __forceinline__ float dot8(uint4 w, const float (&x)[8], float acc) {
    const __half2* h = reinterpret_cast<const __half2*>(&w);
#pragma unroll
    for (int i = 0; i < 4; i++) {
        float2 t = __half22float2(h[i]);
        acc = fmaf(t.x, x[2 * i], acc);
        acc = fmaf(t.y, x[2 * i + 1], acc);
    }
    return acc;
}

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
    return v;
}

// Sum over the whole block; every thread gets the result. scratch: >= 32 floats of shared memory.
// Contains barriers: call from all threads.
__device__ float block_sum(float v, float* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
    v = warp_sum(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    float t = lane < nw ? scratch[lane] : 0.f;
    return warp_sum(t);
}

__device__ float block_max(float v, float* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
    v = warp_max(v);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    float t = lane < nw ? scratch[lane] : -INFINITY;
    return warp_max(t);
}

// The MLP activation in fp32, by code (GptjKernels.activationCode): 0 gelu_new / gelu_pytorch_tanh /
// gelu_fast (one tanh formula), 1 gelu (erf), 2 quick_gelu, 3 relu, 4 silu, 5 tanh. The code is the
// same for every thread of a launch, so the switch does not diverge.
__device__ __forceinline__ float activation(float x, int act) {
    switch (act) {
        case 0: {
            const float k = 0.7978845608028654f;  // sqrt(2/pi)
            return 0.5f * x * (1.0f + tanhf(k * (x + 0.044715f * x * x * x)));
        }
        case 1: return 0.5f * x * (1.0f + erff(x * 0.7071067811865476f));
        case 2: return x / (1.0f + expf(-1.702f * x));
        case 3: return fmaxf(x, 0.0f);
        case 4: return x / (1.0f + expf(-x));
        default: return tanhf(x);
    }
}

// ---------------------------------------------------------------------------------------------
// GEMV core: ROWS consecutive rows of W (fp16, row-major, ld = K) against x (fp16 [K]), one warp.
// Each lane covers 8 consecutive elements (one 16-byte load) of every 256-element step; UNROLL
// steps of ROWS rows are loaded before any is used, so ROWS*UNROLL 16-byte weight loads per lane
// are in flight. Rows past nRows are clamped to the last row (loaded, never stored).
// Contract: K % 8 == 0, W and x 16-byte aligned. acc[] accumulates (not reset); partial per lane.
template <int ROWS, int UNROLL>
__device__ __forceinline__ void gemv_rows(const __half* __restrict__ W, int K, int row0, int nRows,
                                          const __half* __restrict__ x, float (&acc)[ROWS]) {
    const int lane = threadIdx.x & 31;
    const __half* w[ROWS];
#pragma unroll
    for (int i = 0; i < ROWS; i++) w[i] = W + (size_t)min(row0 + i, nRows - 1) * (size_t)K;
    const int STEP = 256;
    const int kMain = K - K % (STEP * UNROLL);
    int k = lane * 8;
    for (; k < kMain; k += STEP * UNROLL) {
        uint4 wv[UNROLL][ROWS];
        uint4 xv[UNROLL];
#pragma unroll
        for (int u = 0; u < UNROLL; u++) {
#pragma unroll
            for (int i = 0; i < ROWS; i++) wv[u][i] = ld_weights(w[i] + k + u * STEP);
        }
#pragma unroll
        for (int u = 0; u < UNROLL; u++) xv[u] = *reinterpret_cast<const uint4*>(x + k + u * STEP);
#pragma unroll
        for (int u = 0; u < UNROLL; u++) {
            float xf[8];
            to_float8(xv[u], xf);
#pragma unroll
            for (int i = 0; i < ROWS; i++) acc[i] = dot8(wv[u][i], xf, acc[i]);
        }
    }
    for (; k < K; k += STEP) {
        float xf[8];
        to_float8(*reinterpret_cast<const uint4*>(x + k), xf);
#pragma unroll
        for (int i = 0; i < ROWS; i++) acc[i] = dot8(ld_weights(w[i] + k), xf, acc[i]);
    }
}

template <int ROWS>
__device__ __forceinline__ void warp_reduce_rows(float (&acc)[ROWS]) {
#pragma unroll
    for (int i = 0; i < ROWS; i++) acc[i] = warp_sum(acc[i]);
}

// acc[lane] without a run-time index into the register array (which would spill it to local memory).
template <int ROWS>
__device__ __forceinline__ float pick(const float (&acc)[ROWS], int i) {
    float v = 0.f;
#pragma unroll
    for (int j = 0; j < ROWS; j++) v = (j == i) ? acc[j] : v;
    return v;
}

// Batch-1 decode, first half of a layer: one pass over Wcat1 = [Wq; Wk; Wv; Wfc_in] ([3E+F][E])
// against h = ln_1(x). Epilogue per row: rotary on q and k (pairs 2i, 2i+1 are adjacent rows of
// one warp, so the pair is at hand), k and v stored into the cache at the current position,
// q kept in fp32 for attention, fc_in rows get bias + the activation and go out as fp16.
template <int ROWS, int UNROLL>
__device__ __forceinline__ void gemv_qkvfc_impl(const __half* __restrict__ W, const __half* __restrict__ h,
                                                int E, int F, int D, int R, int act,
                                                const float* __restrict__ bIn, const int* __restrict__ state,
                                                const float* __restrict__ rope, float* __restrict__ qOut,
                                                __half* __restrict__ kc, __half* __restrict__ vc,
                                                long long slotStride, int maxPos, __half* __restrict__ gOut) {
    const int warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const int lane = threadIdx.x & 31;
    const int N = 3 * E + F;
    const int row0 = warp * ROWS;
    if (row0 >= N) return;
    float acc[ROWS];
#pragma unroll
    for (int i = 0; i < ROWS; i++) acc[i] = 0.f;
    gemv_rows<ROWS, UNROLL>(W, E, row0, N, h, acc);
    warp_reduce_rows<ROWS>(acc);
    if (lane >= ROWS) return;
    const int n = row0 + lane;
    if (n >= N) return;
    const float y = pick<ROWS>(acc, lane);
    if (n >= 3 * E) {
        const int j = n - 3 * E;
        gOut[j] = __float2half_rn(activation(y + bIn[j], act));
        return;
    }
    const int pos = state[1];
    const long long slotOff = (long long)state[2] * slotStride;
    const int which = n / E, c = n - which * E, head = c / D, d = c - head * D;
    const size_t cacheIdx = (size_t)slotOff + ((size_t)head * maxPos + pos) * D + d;
    if (which == 2) {
        vc[cacheIdx] = __float2half_rn(y);
        return;
    }
    float out = y;
    if (d < R) {
        const float yp = pick<ROWS>(acc, lane ^ 1);
        const float2 cs = reinterpret_cast<const float2*>(rope)[(size_t)pos * (R / 2) + d / 2];
        out = (d & 1) == 0 ? y * cs.x - yp * cs.y : y * cs.x + yp * cs.y;
    }
    if (which == 0) qOut[c] = out;
    else kc[cacheIdx] = __float2half_rn(out);
}

// Batch-1 decode, second half of a layer: x[n] += Wout[n].attn + Wfc_out[n].g + bOut[n], where
// attn = attention output (fp16 [E]) and g = gelu(fc_in) (fp16 [F]). Each row belongs to one warp,
// so the in-place residual update is race-free.
template <int ROWS, int UNROLL>
__device__ __forceinline__ void gemv_resid_impl(const __half* __restrict__ Wa, const __half* __restrict__ xa, int Ka,
                                                const __half* __restrict__ Wb, const __half* __restrict__ xb, int Kb,
                                                int N, const float* __restrict__ bias, float* __restrict__ x) {
    const int warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const int lane = threadIdx.x & 31;
    const int row0 = warp * ROWS;
    if (row0 >= N) return;
    float acc[ROWS];
#pragma unroll
    for (int i = 0; i < ROWS; i++) acc[i] = 0.f;
    gemv_rows<ROWS, UNROLL>(Wa, Ka, row0, N, xa, acc);
    gemv_rows<ROWS, UNROLL>(Wb, Kb, row0, N, xb, acc);
    warp_reduce_rows<ROWS>(acc);
    if (lane >= ROWS) return;
    const int n = row0 + lane;
    if (n >= N) return;
    x[n] += pick<ROWS>(acc, lane) + bias[n];
}

// out[n] = W[n].x + bias[n] (bias may be null): the lm_head at batch 1, and a plain GEMV.
template <int ROWS, int UNROLL>
__device__ __forceinline__ void gemv_bias_impl(const __half* __restrict__ W, const __half* __restrict__ xv, int K, int N,
                                               const float* __restrict__ bias, float* __restrict__ out) {
    const int warp = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
    const int lane = threadIdx.x & 31;
    const int row0 = warp * ROWS;
    if (row0 >= N) return;
    float acc[ROWS];
#pragma unroll
    for (int i = 0; i < ROWS; i++) acc[i] = 0.f;
    gemv_rows<ROWS, UNROLL>(W, K, row0, N, xv, acc);
    warp_reduce_rows<ROWS>(acc);
    if (lane >= ROWS) return;
    const int n = row0 + lane;
    if (n >= N) return;
    out[n] = pick<ROWS>(acc, lane) + (bias != nullptr ? bias[n] : 0.f);
}

#define GEMV_VARIANT(R_, U_)                                                                                    \
    extern "C" __global__ void __launch_bounds__(256) gemv_qkvfc_r##R_##_u##U_(                                 \
        const __half* W, const __half* h, int E, int F, int D, int R, int act, const float* bIn,               \
        const int* state, const float* rope, float* qOut, __half* kc, __half* vc, long long slotStride,         \
        int maxPos, __half* gOut) {                                                                             \
        gemv_qkvfc_impl<R_, U_>(W, h, E, F, D, R, act, bIn, state, rope, qOut, kc, vc, slotStride, maxPos, gOut); \
    }                                                                                                           \
    extern "C" __global__ void __launch_bounds__(256) gemv_resid_r##R_##_u##U_(                                 \
        const __half* Wa, const __half* xa, int Ka, const __half* Wb, const __half* xb, int Kb, int N,          \
        const float* bias, float* x) {                                                                          \
        gemv_resid_impl<R_, U_>(Wa, xa, Ka, Wb, xb, Kb, N, bias, x);                                            \
    }                                                                                                           \
    extern "C" __global__ void __launch_bounds__(256) gemv_bias_r##R_##_u##U_(                                  \
        const __half* W, const __half* xv, int K, int N, const float* bias, float* out) {                       \
        gemv_bias_impl<R_, U_>(W, xv, K, N, bias, out);                                                         \
    }

GEMV_VARIANT(2, 2)
GEMV_VARIANT(2, 4)
GEMV_VARIANT(2, 8)
GEMV_VARIANT(4, 2)
GEMV_VARIANT(4, 4)

// ---------------------------------------------------------------------------------------------
// Row kernels

// x[t] = wte[tokens[t]] (fp16 -> fp32). grid: rows; tokens already range-checked on the host or
// produced by argmax. Out-of-range ids are clamped so a bad id can never read outside wte.
extern "C" __global__ void embed(const int* __restrict__ tokens, const __half* __restrict__ wte, int V, int E,
                                 float* __restrict__ x) {
    const int t = blockIdx.x;
    int tok = tokens[t];
    tok = min(max(tok, 0), V - 1);
    const __half* src = wte + (size_t)tok * E;
    float* dst = x + (size_t)t * E;
    for (int i = threadIdx.x; i < E; i += blockDim.x) dst[i] = __half2float(src[i]);
}

// out[r] = LayerNorm(x[r] (+= pendingBias)) as fp16. grid: rows, block: up to 1024.
// pendingBias (nullable) is the fc_out bias that the GEMM path leaves unapplied; it is added to x
// in place first (each thread touches only its own elements, so no barrier is needed for that).
extern "C" __global__ void __launch_bounds__(1024) layernorm(float* __restrict__ x, const float* __restrict__ pendingBias,
                                                             const float* __restrict__ w, const float* __restrict__ b,
                                                             float eps, int E, __half* __restrict__ out) {
    __shared__ float scratch[32];
    float* xr = x + (size_t)blockIdx.x * E;
    __half* o = out + (size_t)blockIdx.x * E;
    float s = 0.f;
    for (int i = threadIdx.x; i < E; i += blockDim.x) {
        float v = xr[i];
        if (pendingBias != nullptr) {
            v += pendingBias[i];
            xr[i] = v;
        }
        s += v;
    }
    const float mean = block_sum(s, scratch) / (float)E;
    float s2 = 0.f;
    for (int i = threadIdx.x; i < E; i += blockDim.x) {
        const float d = xr[i] - mean;
        s2 += d * d;
    }
    const float var = block_sum(s2, scratch) / (float)E;
    const float rstd = 1.0f / sqrtf(var + eps);
    for (int i = threadIdx.x; i < E; i += blockDim.x) o[i] = __float2half_rn((xr[i] - mean) * rstd * w[i] + b[i]);
}

// y[r][n] += bias[n] for a [rows][N] fp32 matrix (lm_head logits on the GEMM path).
extern "C" __global__ void add_bias_rows(float* __restrict__ y, int rows, int N, const float* __restrict__ bias) {
    const size_t total = (size_t)rows * N;
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += (size_t)gridDim.x * blockDim.x)
        y[i] += bias[i % N];
}

// GEMM-path epilogue after Y = h.Wcat1^T ([T][3E+F] fp32): rotary on q and k, k/v into the cache at
// (rowSlot[t], rowPos[t]), q as fp32 (decode attention) and fp16 (prefill attention GEMM), and
// g = activation(fc_in + bIn) as fp16. Each thread handles one adjacent column pair, so a rotary
// pair is always in one thread. grid: (ceil((3E+F)/2 / blockDim), T).
extern "C" __global__ void qkv_epilogue(const float* __restrict__ Y, int E, int F, int D, int R, int act,
                                        const float* __restrict__ bIn, const float* __restrict__ rope,
                                        const int* __restrict__ rowPos, const int* __restrict__ rowSlot,
                                        float* __restrict__ q32, __half* __restrict__ q16,
                                        __half* __restrict__ kc, __half* __restrict__ vc, long long slotStride,
                                        int maxPos, __half* __restrict__ g16) {
    const int t = blockIdx.y;
    const int pair = blockIdx.x * blockDim.x + threadIdx.x;
    const int N = 3 * E + F;
    const int n = pair * 2;
    if (n >= N) return;
    const float* y = Y + (size_t)t * N;
    const float y0 = y[n], y1 = y[n + 1];
    if (n >= 3 * E) {
        const int j = n - 3 * E;
        __half* g = g16 + (size_t)t * F;
        g[j] = __float2half_rn(activation(y0 + bIn[j], act));
        g[j + 1] = __float2half_rn(activation(y1 + bIn[j + 1], act));
        return;
    }
    const int pos = rowPos[t];
    const int which = n / E, c = n - which * E, head = c / D, d = c - head * D;
    const size_t cacheIdx = (size_t)rowSlot[t] * (size_t)slotStride + ((size_t)head * maxPos + pos) * D + d;
    if (which == 2) {
        vc[cacheIdx] = __float2half_rn(y0);
        vc[cacheIdx + 1] = __float2half_rn(y1);
        return;
    }
    float o0 = y0, o1 = y1;
    if (d < R) {
        const float2 cs = reinterpret_cast<const float2*>(rope)[(size_t)pos * (R / 2) + d / 2];
        o0 = y0 * cs.x - y1 * cs.y;
        o1 = y1 * cs.x + y0 * cs.y;
    }
    if (which == 0) {
        q32[(size_t)t * E + c] = o0;
        q32[(size_t)t * E + c + 1] = o1;
        q16[(size_t)t * E + c] = __float2half_rn(o0);
        q16[(size_t)t * E + c + 1] = __float2half_rn(o1);
    } else {
        kc[cacheIdx] = __float2half_rn(o0);
        kc[cacheIdx + 1] = __float2half_rn(o1);
    }
}

// ---------------------------------------------------------------------------------------------
// Attention

// Decode attention (one query per row) over the KV cache, split over the sequence (flash-decoding):
// grid (S, H, B), 256 threads. Split s of row b, head h covers positions [s*chunk, s*chunk+chunk)
// of [0, len), len = rowPos[b] + 1, chunk = roundup8(ceil(len / S)); the grid is fixed and the
// lengths are read on the device, so one captured graph serves every step. Each block writes its
// unnormalised partial (o[D], max m, sum l) to part; the last block of (b, h) to finish (atomic
// counter, reset afterwards) merges the S partials and writes the fp16 output row.
// rowSlot may be null (slot 0 for every row); rowPos and rowSlot are read at index b*rowStride
// (rowStride 4 with the decode-state struct, 1 with plain arrays).
// Dynamic shared memory: (D + 256*8 + maxChunk) floats. Contract: D % 8 == 0, D <= 256.
#define ATT_THREADS 256
template <bool PARALLEL_MERGE>
__device__ __forceinline__ void attn_decode_impl(const float* __restrict__ q, int ldq, const __half* __restrict__ kc,
                const __half* __restrict__ vc, long long slotStride, int maxPos, int D, int H,
                const int* __restrict__ rowPos, const int* __restrict__ rowSlot, int rowStride,
                float* __restrict__ part, int* __restrict__ counters, __half* __restrict__ out, int ldo,
                float* sm, float* scratch, int* isLastFlag) {
    const int S = gridDim.x, s = blockIdx.x, h = blockIdx.y, b = blockIdx.z;
    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int len = rowPos[b * rowStride] + 1;
    const int slot = rowSlot != nullptr ? rowSlot[b * rowStride] : 0;
    const int chunk = (((len + S - 1) / S) + 7) & ~7;
    const int p0 = s * chunk;
    const int p1 = min(len, p0 + chunk);
    const int n = p1 - p0;  // may be <= 0: an empty split still reports to the merge
    const size_t headOff = (size_t)slot * (size_t)slotStride + (size_t)h * maxPos * D;
    const __half* K = kc + headOff;
    const __half* V = vc + headOff;
    float* qs = sm;
    float* red = sm + D;
    float* sc = red + ATT_THREADS * 8;
    for (int i = tid; i < D; i += ATT_THREADS) qs[i] = q[(size_t)b * ldq + (size_t)h * D + i];
    __syncthreads();

    const int dv = D / 8;  // 16-byte vectors per row
    int G = 1;
    while (G < dv) G <<= 1;  // lanes per position (power of two, <= 32)
    const int groupsPerWarp = 32 / G, gi = lane / G, gl = lane % G;
    const int groups = (ATT_THREADS / 32) * groupsPerWarp;
    const float scale = sqrtf((float)D);
    float qr[8];
#pragma unroll
    for (int j = 0; j < 8; j++) qr[j] = gl < dv ? qs[gl * 8 + j] : 0.f;
    // scores: 4 positions per group in flight. The loop bound is the warp's first group, so every
    // lane of a warp runs the same iterations and the group shuffles below see the whole warp.
    for (int pb = warp * groupsPerWarp; pb < n; pb += groups * 4) {
        uint4 kv[4];
#pragma unroll
        for (int u = 0; u < 4; u++) {
            const int p = pb + gi + u * groups;
            kv[u] = (p < n && gl < dv) ? __ldg(reinterpret_cast<const uint4*>(K + (size_t)(p0 + p) * D + gl * 8))
                                       : make_uint4(0, 0, 0, 0);
        }
#pragma unroll
        for (int u = 0; u < 4; u++) {
            float dsum = dot8(kv[u], qr, 0.f);
            for (int o = G >> 1; o > 0; o >>= 1) dsum += __shfl_xor_sync(FULL_MASK, dsum, o);
            const int p = pb + gi + u * groups;
            if (gl == 0 && p < n) sc[p] = dsum / scale;
        }
    }
    __syncthreads();
    float m = -INFINITY;
    for (int i = tid; i < n; i += ATT_THREADS) m = fmaxf(m, sc[i]);
    m = block_max(m, scratch);
    float l = 0.f;
    for (int i = tid; i < n; i += ATT_THREADS) {
        const float e = expf(sc[i] - m);
        sc[i] = e;
        l += e;
    }
    l = block_sum(l, scratch);  // contains barriers: sc[] is complete after it
    // o = sum_p e_p * V[p]: dv threads per position row, rowsPar rows at a time
    const int rowsPar = ATT_THREADS / dv;
    float o[8];
#pragma unroll
    for (int j = 0; j < 8; j++) o[j] = 0.f;
    if (tid < rowsPar * dv) {
        const int r = tid / dv, c = tid - (tid / dv) * dv;
        const __half* vcol = V + (size_t)p0 * D + c * 8;
        int p = r;
        for (; p + 3 * rowsPar < n; p += 4 * rowsPar) {  // 4 rows of V in flight per thread
            uint4 vv[4];
#pragma unroll
            for (int u = 0; u < 4; u++) vv[u] = __ldg(reinterpret_cast<const uint4*>(vcol + (size_t)(p + u * rowsPar) * D));
#pragma unroll
            for (int u = 0; u < 4; u++) {
                float vf[8];
                to_float8(vv[u], vf);
                const float e = sc[p + u * rowsPar];
#pragma unroll
                for (int j = 0; j < 8; j++) o[j] = fmaf(e, vf[j], o[j]);
            }
        }
        for (; p < n; p += rowsPar) {
            float vf[8];
            to_float8(__ldg(reinterpret_cast<const uint4*>(vcol + (size_t)p * D)), vf);
            const float e = sc[p];
#pragma unroll
            for (int j = 0; j < 8; j++) o[j] = fmaf(e, vf[j], o[j]);
        }
    }
#pragma unroll
    for (int j = 0; j < 8; j++) red[tid * 8 + j] = o[j];
    __syncthreads();
    float* mine = part + ((size_t)(b * H + h) * S + s) * (D + 2);
    for (int d = tid; d < D; d += ATT_THREADS) {
        float acc = 0.f;
        for (int r = 0; r < rowsPar; r++) acc += red[(r * dv + d / 8) * 8 + (d & 7)];
        mine[d] = acc;
    }
    if (tid == 0) {
        mine[D] = m;
        mine[D + 1] = l;
    }
    __threadfence();
    __syncthreads();
    if (tid == 0) {
        const int prev = atomicAdd(&counters[b * H + h], 1);
        *isLastFlag = (prev == S - 1);
    }
    __syncthreads();
    if (!*isLastFlag) return;
    __threadfence();
    const float* all = part + (size_t)(b * H + h) * S * (D + 2);
    if (PARALLEL_MERGE) {
        // All S (m, l) pairs are read at once into shared memory (red[] is free again), the weights
        // e^(m_s - M) computed once per split, then every output element sums S independent loads.
        float* w = red;       // [S] e^(m_s - M)
        float* lw = red + S;  // [S] l_s e^(m_s - M)
        for (int k = tid; k < S; k += ATT_THREADS) w[k] = __ldcg(all + (size_t)k * (D + 2) + D);
        __syncthreads();
        float M = -INFINITY;
        for (int k = 0; k < S; k++) M = fmaxf(M, w[k]);
        __syncthreads();
        for (int k = tid; k < S; k += ATT_THREADS) {
            const float mk = w[k];
            const float e = mk == -INFINITY ? 0.f : expf(mk - M);
            w[k] = e;
            lw[k] = e == 0.f ? 0.f : __ldcg(all + (size_t)k * (D + 2) + D + 1) * e;
        }
        __syncthreads();
        float L = 0.f;
        for (int k = 0; k < S; k++) L += lw[k];
        const float invL = 1.0f / L;
        for (int d = tid; d < D; d += ATT_THREADS) {
            float acc = 0.f;
#pragma unroll 8
            for (int k = 0; k < S; k++) acc += w[k] * __ldcg(all + (size_t)k * (D + 2) + d);
            out[(size_t)b * ldo + (size_t)h * D + d] = __float2half_rn(acc * invL);
        }
        if (tid == 0) counters[b * H + h] = 0;
        return;
    }
    float M = -INFINITY;
    for (int k = 0; k < S; k++) M = fmaxf(M, __ldcg(all + (size_t)k * (D + 2) + D));
    float L = 0.f;
    for (int k = 0; k < S; k++) {
        const float mk = __ldcg(all + (size_t)k * (D + 2) + D);
        if (mk != -INFINITY) L += __ldcg(all + (size_t)k * (D + 2) + D + 1) * expf(mk - M);
    }
    for (int d = tid; d < D; d += ATT_THREADS) {
        float acc = 0.f;
        for (int k = 0; k < S; k++) {
            const float mk = __ldcg(all + (size_t)k * (D + 2) + D);
            if (mk != -INFINITY) acc += __ldcg(all + (size_t)k * (D + 2) + d) * expf(mk - M);
        }
        out[(size_t)b * ldo + (size_t)h * D + d] = __float2half_rn(acc / L);
    }
    if (tid == 0) counters[b * H + h] = 0;
}

// attn_decode merges the splits in parallel (the default); attn_decode_serial_merge is the first
// version (one split after another), kept as a fallback selectable with -Dswitchboard.cuda.attn=serial.
extern "C" __global__ void __launch_bounds__(ATT_THREADS)
    attn_decode(const float* __restrict__ q, int ldq, const __half* __restrict__ kc, const __half* __restrict__ vc,
                long long slotStride, int maxPos, int D, int H, const int* __restrict__ rowPos,
                const int* __restrict__ rowSlot, int rowStride, float* __restrict__ part, int* __restrict__ counters,
                __half* __restrict__ out, int ldo) {
    extern __shared__ float sm[];
    __shared__ float scratch[32];
    __shared__ int isLast;
    attn_decode_impl<true>(q, ldq, kc, vc, slotStride, maxPos, D, H, rowPos, rowSlot, rowStride, part, counters,
                           out, ldo, sm, scratch, &isLast);
}

extern "C" __global__ void __launch_bounds__(ATT_THREADS)
    attn_decode_serial_merge(const float* __restrict__ q, int ldq, const __half* __restrict__ kc,
                             const __half* __restrict__ vc, long long slotStride, int maxPos, int D, int H,
                             const int* __restrict__ rowPos, const int* __restrict__ rowSlot, int rowStride,
                             float* __restrict__ part, int* __restrict__ counters, __half* __restrict__ out, int ldo) {
    extern __shared__ float sm[];
    __shared__ float scratch[32];
    __shared__ int isLast;
    attn_decode_impl<false>(q, ldq, kc, vc, slotStride, maxPos, D, H, rowPos, rowSlot, rowStride, part, counters,
                            out, ldo, sm, scratch, &isLast);
}

// Prefill attention, middle step: P = softmax(S / sqrt(D)) with the causal mask, fp32 in, fp16 out.
// S, P: [H][T][Lk]; query t sits at position start + t and sees keys 0..start+t. grid (T, H).
extern "C" __global__ void __launch_bounds__(256) softmax_causal(const float* __restrict__ Sc, __half* __restrict__ P,
                                                                 int T, int Lk, int start, int D) {
    __shared__ float scratch[32];
    const int t = blockIdx.x, h = blockIdx.y;
    const size_t row = ((size_t)h * T + t) * Lk;
    const float* s = Sc + row;
    __half* p = P + row;
    const int valid = min(Lk, start + t + 1);
    const float scale = sqrtf((float)D);
    float m = -INFINITY;
    for (int j = threadIdx.x; j < valid; j += blockDim.x) m = fmaxf(m, s[j] / scale);
    m = block_max(m, scratch);
    float l = 0.f;
    for (int j = threadIdx.x; j < valid; j += blockDim.x) l += expf(s[j] / scale - m);
    l = block_sum(l, scratch);
    const float inv = 1.0f / l;
    for (int j = threadIdx.x; j < Lk; j += blockDim.x)
        p[j] = j < valid ? __float2half_rn(expf(s[j] / scale - m) * inv) : __float2half_rn(0.f);
}

// ---------------------------------------------------------------------------------------------
// Greedy selection

// tok[b] = argmax(logits[b]) (first index on ties, like torch.argmax). grid: rows, block 1024.
// With state != null (batch-1 decode graph), also appends the token to outList[state.step],
// then advances state.pos and state.step, so the next graph replay decodes the next position.
extern "C" __global__ void __launch_bounds__(1024) argmax_rows(const float* __restrict__ logits, int V,
                                                                int* __restrict__ tokOut, int* __restrict__ state,
                                                                int* __restrict__ outList) {
    __shared__ float bv[32];
    __shared__ int bi[32];
    const float* l = logits + (size_t)blockIdx.x * V;
    float best = -INFINITY;
    int idx = 0x7fffffff;
    for (int i = threadIdx.x; i < V; i += blockDim.x) {
        const float v = l[i];
        if (v > best) {  // strictly greater keeps the first index within a thread's stride
            best = v;
            idx = i;
        }
    }
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) {
        const float ov = __shfl_xor_sync(FULL_MASK, best, o);
        const int oi = __shfl_xor_sync(FULL_MASK, idx, o);
        if (ov > best || (ov == best && oi < idx)) {
            best = ov;
            idx = oi;
        }
    }
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
    if (lane == 0) {
        bv[warp] = best;
        bi[warp] = idx;
    }
    __syncthreads();
    if (warp == 0) {
        best = lane < nw ? bv[lane] : -INFINITY;
        idx = lane < nw ? bi[lane] : 0x7fffffff;
#pragma unroll
        for (int o = 16; o > 0; o >>= 1) {
            const float ov = __shfl_xor_sync(FULL_MASK, best, o);
            const int oi = __shfl_xor_sync(FULL_MASK, idx, o);
            if (ov > best || (ov == best && oi < idx)) {
                best = ov;
                idx = oi;
            }
        }
        if (lane == 0) {
            if (idx == 0x7fffffff) idx = 0;  // all NaN: deterministic, never out of range
            tokOut[blockIdx.x] = idx;
            if (state != nullptr) {
                const int step = state[3];
                if (outList != nullptr) outList[step] = idx;
                state[1] += 1;
                state[3] = step + 1;
            }
        }
    }
}
