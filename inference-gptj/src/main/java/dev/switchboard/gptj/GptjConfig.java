package dev.switchboard.gptj;

import java.util.Locale;

/**
 * The hyper-parameters of a GPT-J checkpoint, as in HF's {@code config.json}.
 *
 * @param vocabSize         rows of {@code wte} and {@code lm_head}
 * @param nPositions        the context window: the most tokens a sequence may hold
 * @param nEmbd             width of the residual stream
 * @param nLayer            number of transformer blocks
 * @param nHead             attention heads per block; divides {@code nEmbd}
 * @param rotaryDim         leading dimensions of each head that get rotary position embedding; even, at most the head size
 * @param nInner            width of the MLP ({@code 4 * nEmbd} when {@code n_inner} is null)
 * @param layerNormEpsilon  epsilon of every LayerNorm
 * @param activation        the MLP non-linearity ({@code activation_function})
 * @param eosTokenId        end-of-sequence token, or -1 when the checkpoint names none
 * @param tieWordEmbeddings whether the output layer's weight is {@code wte} ({@code tie_word_embeddings}; HF then
 *                          saves no {@code lm_head.weight}, and one that is there anyway is ignored); its bias stays its own
 */
public record GptjConfig(
        int vocabSize,
        int nPositions,
        int nEmbd,
        int nLayer,
        int nHead,
        int rotaryDim,
        int nInner,
        float layerNormEpsilon,
        Activation activation,
        int eosTokenId,
        boolean tieWordEmbeddings) {

    public GptjConfig {
        positive("vocab_size", vocabSize);
        positive("n_positions", nPositions);
        positive("n_embd", nEmbd);
        positive("n_layer", nLayer);
        positive("n_head", nHead);
        positive("n_inner", nInner);
        if (nEmbd % nHead != 0) {
            throw new IllegalArgumentException("n_head (" + nHead + ") must divide n_embd (" + nEmbd + ")");
        }
        int headDim = nEmbd / nHead;
        if (rotaryDim < 0 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("rotary_dim (" + rotaryDim + ") must be even and between 0 and the head size "
                    + headDim + " (n_embd / n_head)");
        }
        if (!(layerNormEpsilon > 0) || !Float.isFinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("layer_norm_epsilon must be a positive number, got " + layerNormEpsilon);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation_function must be given");
        }
        if (eosTokenId < -1 || eosTokenId >= vocabSize) {
            throw new IllegalArgumentException("eos_token_id (" + eosTokenId + ") must be a token id below vocab_size (" + vocabSize + ")");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be ≥ 1, got " + value);
        }
    }

    /** Dimensions per attention head. */
    public int headDim() {
        return nEmbd / nHead;
    }

    /** Parameters in weight matrices, embeddings, biases and LayerNorms (what {@code model.num_parameters()} reports). */
    public long parameterCount() {
        long d = nEmbd;
        long perLayer = 4 * d * d            // q, k, v, out_proj
                + 2 * d * nInner + nInner + d // fc_in, fc_out and their biases
                + 2 * d;                     // ln_1
        return (long) vocabSize * d          // wte
                + nLayer * perLayer
                + 2 * d                      // ln_f
                + (tieWordEmbeddings ? 0 : (long) vocabSize * d) + vocabSize; // lm_head (its weight is wte's when tied), bias
    }

    /** The MLP activations HF's {@code ACT2FN} offers that a GPT-J config may name. */
    public enum Activation {
        /** {@code gelu_new}: the tanh approximation GPT-J was trained with. */
        GELU_NEW("gelu_new"),
        /** {@code gelu_pytorch_tanh}: the same formula as gelu_new. */
        GELU_PYTORCH_TANH("gelu_pytorch_tanh"),
        /** {@code gelu_fast}: tanh approximation written as {@code 0.5x(1+tanh(0.79788456x(1+0.044715x²)))}. */
        GELU_FAST("gelu_fast"),
        /** {@code gelu}: exact, {@code 0.5x(1+erf(x/√2))}. */
        GELU("gelu"),
        /** {@code quick_gelu}: {@code x·σ(1.702x)}. */
        QUICK_GELU("quick_gelu"),
        RELU("relu"),
        /** {@code silu} / {@code swish}: {@code x·σ(x)}. */
        SILU("silu"),
        TANH("tanh");

        private final String hfName;

        Activation(String hfName) {
            this.hfName = hfName;
        }

        public String hfName() {
            return hfName;
        }

        /** Parses the {@code activation_function} value of {@code config.json}. */
        public static Activation parse(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (n.equals("swish")) {
                return SILU;
            }
            for (Activation a : values()) {
                if (a.hfName.equals(n)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("activation_function '" + name + "' is not supported; supported: "
                    + "gelu_new, gelu_pytorch_tanh, gelu_fast, gelu, quick_gelu, relu, silu, swish, tanh");
        }
    }
}
