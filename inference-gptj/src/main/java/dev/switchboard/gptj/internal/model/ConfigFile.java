package dev.switchboard.gptj.internal.model;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads {@code config.json} (and {@code generation_config.json} for the end-of-sequence token) the
 * way HF's {@code GPTJConfig} does: a key that is absent takes HF's default, a key that is present
 * must have a usable value.
 */
public final class ConfigFile {

    private ConfigFile() {
    }

    public static GptjConfig read(Path modelDir) {
        return read(modelDir.resolve("config.json"), modelDir.resolve("generation_config.json"));
    }

    /** Reads a config file; {@code generationConfig} may be null or not exist. */
    public static GptjConfig read(Path file, Path generationConfig) {
        JsonNode root = readJson(file, true);
        String modelType = root.path("model_type").asString("gptj");
        if (!modelType.equals("gptj")) {
            throw new ModelLoadException(file + ": model_type is '" + modelType + "'; this engine serves GPT-J (gptj) only");
        }
        int nEmbd = intField(file, root, "n_embd", 4096);
        int nHead = intField(file, root, "n_head", 16);
        int vocab = intField(file, root, "vocab_size", 50400);
        Integer rotary = root.has("rotary_dim") && root.get("rotary_dim").isNull() ? null : intField(file, root, "rotary_dim", 64);
        if (rotary == null) {
            // HF applies rotary to the whole key then, which only has matching shapes with one head.
            if (nHead != 1) {
                throw new ModelLoadException(file + ": rotary_dim is null, which HF GPT-J supports only with n_head = 1 (n_head is "
                        + nHead + ")");
            }
            rotary = nEmbd;
        }
        Integer nInner = root.has("n_inner") && !root.get("n_inner").isNull() ? intField(file, root, "n_inner", 0) : null;
        int eos = eosTokenId(generationConfig, root, file);
        try {
            return new GptjConfig(
                    vocab,
                    intField(file, root, "n_positions", 2048),
                    nEmbd,
                    intField(file, root, "n_layer", 28),
                    nHead,
                    rotary,
                    nInner == null ? 4 * nEmbd : nInner,
                    (float) doubleField(file, root, "layer_norm_epsilon", 1e-5),
                    GptjConfig.Activation.parse(root.path("activation_function").asString("gelu_new")),
                    eos >= 0 && eos < vocab ? eos : -1,
                    booleanField(file, root, "tie_word_embeddings", false));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        }
    }

    /** generation_config.json wins over config.json, as in HF {@code generate}; a list means its first entry. */
    private static int eosTokenId(Path genFile, JsonNode config, Path configFile) {
        JsonNode gen = genFile != null && Files.isRegularFile(genFile) ? readJson(genFile, false) : null;
        if (gen != null && gen.has("eos_token_id")) {
            return eosValue(genFile, gen.get("eos_token_id"));
        }
        if (config.has("eos_token_id")) {
            return eosValue(configFile, config.get("eos_token_id"));
        }
        return 50256;
    }

    private static int eosValue(Path file, JsonNode v) {
        if (v.isNull()) {
            return -1;
        }
        if (v.isArray()) {
            return v.isEmpty() ? -1 : eosValue(file, v.get(0));
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelLoadException(file + ": eos_token_id must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static int intField(Path file, JsonNode root, String name, int dflt) {
        JsonNode v = root.get(name);
        if (v == null) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ModelLoadException(file + ": " + name + " must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static boolean booleanField(Path file, JsonNode root, String name, boolean dflt) {
        JsonNode v = root.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new ModelLoadException(file + ": " + name + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static double doubleField(Path file, JsonNode root, String name, double dflt) {
        JsonNode v = root.get(name);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new ModelLoadException(file + ": " + name + " must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static JsonNode readJson(Path file, boolean required) {
        try {
            JsonNode n = JsonMapper.builder().build().readTree(Files.readString(file));
            if (n == null || !n.isObject()) {
                throw new ModelLoadException(file + ": must hold a JSON object");
            }
            return n;
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ModelLoadException(file + ": missing (every model directory needs its config.json)");
            }
            return null;
        } catch (JacksonException e) {
            throw new ModelLoadException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The config.json HF writes for {@code config} (used by random-init); HF's GPTJForCausalLM loads it. */
    public static ObjectNode toJson(GptjConfig c, String torchDtype) {
        ObjectNode n = JsonMapper.builder().build().createObjectNode();
        n.putArray("architectures").add("GPTJForCausalLM");
        n.put("model_type", "gptj");
        n.put("activation_function", c.activation().hfName());
        n.put("attn_pdrop", 0.0);
        n.put("embd_pdrop", 0.0);
        n.put("resid_pdrop", 0.0);
        n.put("bos_token_id", c.eosTokenId() >= 0 ? c.eosTokenId() : 0);
        if (c.eosTokenId() >= 0) {
            n.put("eos_token_id", c.eosTokenId());
        } else {
            n.putNull("eos_token_id");
        }
        n.put("initializer_range", 0.02);
        n.put("layer_norm_epsilon", c.layerNormEpsilon());
        n.put("n_embd", c.nEmbd());
        n.put("n_head", c.nHead());
        n.put("n_inner", c.nInner());
        n.put("n_layer", c.nLayer());
        n.put("n_positions", c.nPositions());
        n.put("rotary_dim", c.rotaryDim());
        n.put("tie_word_embeddings", c.tieWordEmbeddings());
        n.put("torch_dtype", torchDtype);
        n.put("use_cache", true);
        n.put("vocab_size", c.vocabSize());
        return n;
    }
}
