package dev.switchboard.gptj.internal.model;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.ModelLoadException;
import dev.switchboard.gptj.internal.safetensors.Checkpoint;
import dev.switchboard.gptj.internal.safetensors.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of a GPT-J checkpoint, found by HF's names and checked against the config: every
 * tensor present, of a float dtype, of the shape the config implies. Backend-neutral: a backend turns
 * these mapped tensors into whatever it computes with.
 */
public record GptjWeights(
        GptjConfig config,
        Tensor wte,        // [vocab, d]
        List<Layer> layers,
        Tensor lnFWeight,  // [d]
        Tensor lnFBias,    // [d]
        Tensor lmHead,     // [vocab, d]
        Tensor lmHeadBias  // [vocab]
) {

    /** One transformer block. */
    public record Layer(
            Tensor ln1Weight, Tensor ln1Bias, // [d]
            Tensor q, Tensor k, Tensor v,     // [d, d], no bias
            Tensor out,                       // [d, d], no bias
            Tensor fcIn, Tensor fcInBias,     // [inner, d], [inner]
            Tensor fcOut, Tensor fcOutBias) { // [d, inner], [d]
    }

    /** Buffers that old checkpoints store but that are not parameters (HF skips them too). */
    private static final Pattern NON_PARAMETER = Pattern.compile("(^|\\.)attn\\.(bias|masked_bias)$");

    public static GptjWeights bind(GptjConfig c, Checkpoint ckpt, LoadListener listener) {
        Set<String> used = new HashSet<>();
        Binder b = new Binder(c, ckpt, used);
        int d = c.nEmbd();
        int inner = c.nInner();
        int vocab = c.vocabSize();
        List<Layer> layers = new ArrayList<>(c.nLayer());
        for (int i = 0; i < c.nLayer(); i++) {
            String p = "transformer.h." + i + ".";
            layers.add(new Layer(
                    b.get(p + "ln_1.weight", d), b.get(p + "ln_1.bias", d),
                    b.get(p + "attn.q_proj.weight", d, d), b.get(p + "attn.k_proj.weight", d, d),
                    b.get(p + "attn.v_proj.weight", d, d), b.get(p + "attn.out_proj.weight", d, d),
                    b.get(p + "mlp.fc_in.weight", inner, d), b.get(p + "mlp.fc_in.bias", inner),
                    b.get(p + "mlp.fc_out.weight", d, inner), b.get(p + "mlp.fc_out.bias", d)));
        }
        Tensor wte = b.get("transformer.wte.weight", vocab, d);
        boolean stored = ckpt.find("lm_head.weight").isPresent();
        Tensor lmHead;
        if (c.tieWordEmbeddings()) {
            lmHead = wte;
            if (stored) {
                // HF saves none for a tied model; one that is there anyway does not count
                used.add("lm_head.weight");
                listener.note("lm_head.weight ignored: tie_word_embeddings is true, so the output layer is transformer.wte.weight");
            }
        } else if (stored) {
            lmHead = b.get("lm_head.weight", vocab, d);
        } else {
            throw new ModelLoadException("tensor 'lm_head.weight' is missing from the checkpoint (" + b.describeFiles()
                    + "); config.json has tie_word_embeddings false (or unset) — if the output layer shares"
                    + " transformer.wte.weight, set it to true");
        }
        GptjWeights w = new GptjWeights(c, wte, List.copyOf(layers),
                b.get("transformer.ln_f.weight", d), b.get("transformer.ln_f.bias", d),
                lmHead, b.get("lm_head.bias", vocab));
        reportUnused(ckpt, used, listener);
        return w;
    }

    private static void reportUnused(Checkpoint ckpt, Set<String> used, LoadListener listener) {
        int skipped = 0;
        List<String> unknown = new ArrayList<>();
        for (String name : ckpt.tensors().keySet()) {
            if (used.contains(name)) {
                continue;
            }
            if (NON_PARAMETER.matcher(name).find()) {
                skipped++;
            } else {
                unknown.add(name);
            }
        }
        if (skipped > 0) {
            listener.note("skipped " + skipped + " non-parameter buffers (attn.bias / attn.masked_bias)");
        }
        if (!unknown.isEmpty()) {
            listener.note("ignored " + unknown.size() + " tensors that GPT-J does not use, e.g. " + unknown.getFirst());
        }
    }

    /** Looks tensors up and checks dtype and shape, naming the config fields a wrong shape contradicts. */
    private record Binder(GptjConfig c, Checkpoint ckpt, Set<String> used) {

        Tensor get(String name, long... shape) {
            Tensor t = ckpt.find(name).orElseThrow(() -> new ModelLoadException(
                    "tensor '" + name + "' is missing from the checkpoint (" + describeFiles() + ")"));
            if (!t.dtype().isSupportedWeightType()) {
                throw new ModelLoadException(t.file() + ": tensor '" + name + "' has dtype " + t.dtype()
                        + "; supported are F32, F16 and BF16");
            }
            if (!Arrays.equals(t.shape(), shape)) {
                throw new ModelLoadException(t.file() + ": tensor '" + name + "' has shape " + t.shapeString()
                        + " but config.json (vocab_size=" + c.vocabSize() + ", n_embd=" + c.nEmbd() + ", n_inner="
                        + c.nInner() + ") needs " + Arrays.toString(shape));
            }
            used.add(name);
            return t;
        }

        private String describeFiles() {
            List<String> names = ckpt.files().stream().map(p -> p.getFileName().toString()).toList();
            return names.size() == 1 ? names.getFirst() : names.size() + " shards";
        }
    }
}
