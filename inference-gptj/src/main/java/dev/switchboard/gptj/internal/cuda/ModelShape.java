package dev.switchboard.gptj.internal.cuda;

import dev.switchboard.gptj.GptjConfig;

/**
 * The dimensions of a GPT-J model that the CUDA backend sizes its buffers and launches by.
 *
 * @param nEmbd    hidden size E
 * @param nLayer   number of blocks
 * @param nHead    attention heads H (head size D = E / H)
 * @param rotaryDim rotary dimensions R at the start of each head
 * @param nInner   MLP width F
 * @param vocab    vocabulary V (rows of wte and lm_head)
 * @param nPositions context length
 * @param eps      LayerNorm epsilon
 * @param activation the MLP activation as the kernels' code ({@link #activationCode})
 */
public record ModelShape(int nEmbd, int nLayer, int nHead, int rotaryDim, int nInner, int vocab, int nPositions,
                         float eps, int activation) {
    /** The shape of a checkpoint's config. */
    public static ModelShape of(GptjConfig c) {
        return new ModelShape(c.nEmbd(), c.nLayer(), c.nHead(), c.rotaryDim(), c.nInner(), c.vocabSize(),
                c.nPositions(), c.layerNormEpsilon(), activationCode(c.activation()));
    }

    /** The code gptj_kernels.cu's activation() switches on. */
    static int activationCode(GptjConfig.Activation a) {
        return switch (a) {
            case GELU_NEW, GELU_PYTORCH_TANH, GELU_FAST -> 0;
            case GELU -> 1;
            case QUICK_GELU -> 2;
            case RELU -> 3;
            case SILU -> 4;
            case TANH -> 5;
        };
    }

    public ModelShape {
        positive("nEmbd", nEmbd);
        positive("nLayer", nLayer);
        positive("nHead", nHead);
        positive("nInner", nInner);
        positive("vocab", vocab);
        positive("nPositions", nPositions);
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("nEmbd (" + nEmbd + ") must be a multiple of nHead (" + nHead + ")");
        }
        if (rotaryDim < 0 || rotaryDim > nEmbd / nHead || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("rotaryDim must be even and within the head size " + nEmbd / nHead
                    + ", was " + rotaryDim);
        }
        if (activation < 0 || activation > 5) {
            throw new IllegalArgumentException("activation code must be in [0, 5], was " + activation);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be > 0, was " + eps);
        }
    }

    private static void positive(String field, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(field + " must be > 0, was " + v);
        }
    }

    public int headDim() {
        return nEmbd / nHead;
    }

    /** Rows of the fused first projection [Wq; Wk; Wv; Wfc_in]. */
    public int qkvfcRows() {
        return 3 * nEmbd + nInner;
    }

    /** fp16 bytes of the weights read per decoded token (every matrix once; wte row and small vectors aside). */
    public long weightBytesPerToken() {
        long perLayer = (long) qkvfcRows() * nEmbd + (long) nEmbd * nEmbd + (long) nEmbd * nInner;
        return 2L * (perLayer * nLayer + (long) vocab * nEmbd);
    }

    /**
     * Checks the constraints of the CUDA kernels (16-byte vector loads, head size <= 256).
     *
     * @throws IllegalArgumentException naming the dimension that does not fit
     */
    public void checkSupportedOnGpu() {
        if (nEmbd % 8 != 0) {
            throw new IllegalArgumentException("the CUDA backend needs n_embd % 8 == 0, was " + nEmbd);
        }
        if (nInner % 8 != 0) {
            throw new IllegalArgumentException("the CUDA backend needs n_inner % 8 == 0, was " + nInner);
        }
        if (headDim() % 8 != 0 || headDim() > 256) {
            throw new IllegalArgumentException(
                    "the CUDA backend needs a head size that is a multiple of 8 and at most 256, was " + headDim());
        }
    }
}
