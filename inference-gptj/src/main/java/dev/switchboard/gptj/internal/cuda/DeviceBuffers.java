package dev.switchboard.gptj.internal.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;

/**
 * Activation workspace, KV cache and host staging of the CUDA backend, sized by a {@link DevicePlan}.
 * Shapes are noted beside each field (rows = plan.maxRows()).
 */
final class DeviceBuffers {
    final long x32;        // fp32 [rows][E]     residual stream
    final long h16;        // fp16 [rows][E]     LayerNorm output
    final long y1;         // fp32 [rows][3E+F]  GEMM path: h . [Wq;Wk;Wv;Wfc_in]^T
    final long q32;        // fp32 [rows][E]     rotated queries (decode attention)
    final long q16;        // fp16 [rows][E]     rotated queries (prefill attention GEMM)
    final long a16;        // fp16 [rows][E]     attention output
    final long g16;        // fp16 [rows][F]     gelu(fc_in)
    final long scores;     // fp32 [H][chunk][maxPos]  prefill scores
    final long probs;      // fp16 [H][chunk][maxPos]  prefill probabilities
    final long part;       // fp32 attention partials
    final long counters;   // int  [slots][H]    attention merge counters (zero between launches)
    final long logits;     // fp32 [rows][V]
    final long rope;       // fp32 [maxPos][R/2][2]
    final long state;      // int  {token, pos, slot, step}  batch-1 decode state
    final long outList;    // int  [maxPos]      tokens produced by the greedy decode graph
    final long tokens;     // int  [rows]
    final long rowPos;     // int  [rows]
    final long rowSlot;    // int  [rows]
    final long workspace;  // cuBLAS workspace
    final long[] kCache;   // per layer fp16 [slots][H][maxPos][D]
    final long[] vCache;
    final MemorySegment hostRows;   // pinned int [3][rows]: tokens, positions, slots
    final MemorySegment hostState;  // pinned int [4]
    final MemorySegment hostLogits; // pinned fp32 [slots][V]
    final MemorySegment hostOut;    // pinned int [maxPos]

    static final long WORKSPACE_BYTES = 32L << 20;

    DeviceBuffers(CudaContext cx, DevicePlan plan) {
        ModelShape s = plan.shape();
        long rows = plan.maxRows();
        int e = s.nEmbd();
        x32 = cx.alloc(4 * rows * e);
        h16 = cx.alloc(2 * rows * e);
        y1 = cx.alloc(4 * rows * s.qkvfcRows());
        q32 = cx.alloc(4 * rows * e);
        q16 = cx.alloc(2 * rows * e);
        a16 = cx.alloc(2 * rows * e);
        g16 = cx.alloc(2 * rows * s.nInner());
        scores = cx.alloc(4 * plan.scoreFloats());
        probs = cx.alloc(2 * plan.scoreFloats());
        part = cx.alloc(4 * plan.attnPartialFloats());
        counters = cx.allocZeroed(4L * plan.slots() * s.nHead());
        logits = cx.alloc(4 * rows * s.vocab());
        rope = cx.alloc(4L * plan.maxPos() * Math.max(2, s.rotaryDim()));
        state = cx.allocZeroed(16);
        outList = cx.allocZeroed(4L * plan.maxPos());
        tokens = cx.allocZeroed(4 * rows);
        rowPos = cx.allocZeroed(4 * rows);
        rowSlot = cx.allocZeroed(4 * rows);
        workspace = cx.alloc(WORKSPACE_BYTES);
        kCache = new long[s.nLayer()];
        vCache = new long[s.nLayer()];
        long kvBytes = 2L * plan.kvSlotElements() * plan.slots();
        for (int l = 0; l < s.nLayer(); l++) {
            // zeroed so that a never-written position can hold no NaN (they are never read unmasked)
            kCache[l] = cx.allocZeroed(kvBytes);
            vCache[l] = cx.allocZeroed(kvBytes);
        }
        hostRows = cx.pinned(12 * rows);
        hostState = cx.pinned(16);
        hostLogits = cx.pinned(4L * plan.slots() * s.vocab());
        hostOut = cx.pinned(4L * plan.maxPos());
        float[] table = RopeTable.build(plan.maxPos(), s.rotaryDim());
        if (table.length > 0) {
            MemorySegment t = cx.pinned(4L * table.length);
            MemorySegment.copy(table, 0, t, JAVA_FLOAT, 0, table.length);
            cx.driver.memcpyHtoD(rope, t, 4L * table.length);
        }
        cx.blas.setWorkspace(workspace, WORKSPACE_BYTES);
        cx.synchronize();
    }
}
