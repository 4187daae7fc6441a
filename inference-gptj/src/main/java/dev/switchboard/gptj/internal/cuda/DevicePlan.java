package dev.switchboard.gptj.internal.cuda;

/**
 * Buffer sizes and launch shapes of the CUDA backend for one model and one set of options;
 * pure arithmetic, so it is tested without a GPU.
 *
 * @param shape         the model
 * @param slots         sequences that can hold a KV cache at once (batch size limit)
 * @param maxPos        positions per sequence (prompt + generated), at most n_positions
 * @param prefillChunk  prompt tokens per prefill pass (longer prompts run in several passes)
 * @param multiprocessors SMs of the GPU (sizes the attention split)
 * @param qkvfc         GEMV variant for [Wq;Wk;Wv;Wfc_in] at batch 1
 * @param resid         GEMV variant for [Wout | Wfc_out] + residual at batch 1
 * @param lmHead        GEMV variant for lm_head at batch 1
 */
record DevicePlan(ModelShape shape, int slots, int maxPos, int prefillChunk, int multiprocessors,
                  GemvVariant qkvfc, GemvVariant resid, GemvVariant lmHead) {
    /** Positions one attention block scores at most (its shared-memory score array). */
    static final int ATTN_MAX_CHUNK = 512;
    static final int ATTN_THREADS = 256;

    DevicePlan {
        shape.checkSupportedOnGpu();
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be >= 1, was " + slots);
        }
        if (maxPos < 1 || maxPos > shape.nPositions()) {
            throw new IllegalArgumentException("maxPos must be in [1, n_positions=" + shape.nPositions() + "], was "
                    + maxPos);
        }
        if ((maxPos + ATTN_MAX_CHUNK - 1) / ATTN_MAX_CHUNK > 1024) {
            throw new IllegalArgumentException("maxPos " + maxPos + " exceeds what decode attention splits ("
                    + 1024 * ATTN_MAX_CHUNK + ")");
        }
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("prefillChunk must be >= 1, was " + prefillChunk);
        }
        if (qkvfc.rows() % 2 != 0) {
            throw new IllegalArgumentException("the qkvfc GEMV needs an even rows per warp (rotary pairs), was "
                    + qkvfc.rows());
        }
    }

    /** Rows the activation buffers hold: a prefill chunk or a full batch. */
    int maxRows() {
        return Math.max(prefillChunk, slots);
    }

    /** Elements of one layer's K (or V) cache for one slot: [H][maxPos][D]. */
    long kvSlotElements() {
        return (long) shape.nHead() * maxPos * shape.headDim();
    }

    long kvCacheBytes() {
        return 2L * 2L * kvSlotElements() * slots * shape.nLayer();
    }

    /**
     * Sequence splits of decode attention for {@code rows} rows: enough blocks to fill the GPU
     * four times over, and enough that no split exceeds {@link #ATTN_MAX_CHUNK} positions.
     */
    int attnSplits(int rows) {
        int forLength = (maxPos + ATTN_MAX_CHUNK - 1) / ATTN_MAX_CHUNK;
        int forOccupancy = (4 * multiprocessors + shape.nHead() * rows - 1) / (shape.nHead() * rows);
        // the kernel's parallel merge keeps two floats per split in its 2048-float scratch
        return Math.min(1024, Math.max(1, Math.max(forLength, Math.min(forOccupancy, 64))));
    }

    /** The longest split: roundup8(ceil(maxPos / splits)), as the kernel computes it. */
    int attnMaxChunk(int splits) {
        return (((maxPos + splits - 1) / splits) + 7) & ~7;
    }

    int attnSharedBytes(int splits) {
        return 4 * (shape.headDim() + ATTN_THREADS * 8 + attnMaxChunk(splits));
    }

    /** Floats of the attention partials buffer, sized for the largest split count at any batch. */
    long attnPartialFloats() {
        long most = 0;
        for (int rows = 1; rows <= slots; rows++) {
            most = Math.max(most, (long) rows * attnSplits(rows));
        }
        return most * shape.nHead() * (shape.headDim() + 2L);
    }

    /** Bytes of KV cache one slot takes (all layers, K and V). */
    long kvBytesPerSlot() {
        return 2L * 2L * kvSlotElements() * shape.nLayer();
    }

    /** Device bytes of {@link DeviceBuffers} apart from the KV cache. */
    long workspaceBytes() {
        long rows = maxRows();
        long e = shape.nEmbd();
        long perRow = e * (4 + 2 + 4 + 2 + 2) + 4L * shape.qkvfcRows() + 2L * shape.nInner() + 4L * shape.vocab() + 12;
        return rows * perRow + 6 * scoreFloats() + 4 * attnPartialFloats() + 4L * slots * shape.nHead()
                + 4L * maxPos * Math.max(2, shape.rotaryDim()) + 4L * maxPos + 16 + DeviceBuffers.WORKSPACE_BYTES;
    }

    /** fp16 matrices and fp32 vectors of the model on the device. */
    long weightBytes() {
        long e = shape.nEmbd(), f = shape.nInner(), v = shape.vocab();
        long matrices = 2 * v * e + shape.nLayer() * (4 * e * e + 2 * e * f);
        long vectors = shape.nLayer() * (3 * e + f) + 2 * e + v;
        return 2 * matrices + 4 * vectors;
    }

    /** Floats of the prefill score matrix [H][prefillChunk][maxPos]. */
    long scoreFloats() {
        return (long) shape.nHead() * Math.min(prefillChunk, maxPos) * maxPos;
    }
}
