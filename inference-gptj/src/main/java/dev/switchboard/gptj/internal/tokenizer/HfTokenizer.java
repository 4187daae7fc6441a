package dev.switchboard.gptj.internal.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.switchboard.gptj.GptjTokenizer;
import dev.switchboard.gptj.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A HF {@code tokenizer.json} run by the HF tokenizers library (Rust) through DJL, strictly offline:
 * the native library comes from DJL's jar, nothing is downloaded. Encoding adds no special tokens, as
 * HF's GPT-J tokenizer does. Thread-safe.
 */
public final class HfTokenizer implements GptjTokenizer, AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final TokenBytes bytes; // null when the decoder is not byte-level

    private HfTokenizer(HuggingFaceTokenizer tokenizer, TokenBytes bytes) {
        this.tokenizer = tokenizer;
        this.bytes = bytes;
    }

    /** Loads {@code dir/tokenizer.json}. @throws ModelLoadException if it is missing or unreadable */
    public static HfTokenizer load(Path dir) {
        Path file = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(file + ": missing (a tokenizer.json is needed for text prompts)");
        }
        DjlSetup.offline();
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new ModelLoadException(file + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelLoadException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new HfTokenizer(t, TokenBytes.fromTokenizerJson(root));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(file + ": the HF tokenizers library rejected it: " + e.getMessage(), e);
        }
    }

    /** Whether {@code dir} holds a tokenizer.json. */
    public static boolean present(Path dir) {
        return Files.isRegularFile(dir.resolve("tokenizer.json"));
    }

    @Override
    public List<Integer> encode(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        Encoding e = tokenizer.encode(text, false, false);
        long[] ids = e.getIds();
        List<Integer> out = new ArrayList<>(ids.length);
        for (long id : ids) {
            out.add((int) id);
        }
        return out;
    }

    @Override
    public String decode(List<Integer> ids) {
        long[] a = new long[ids.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = ids.get(i);
        }
        return tokenizer.decode(a, false);
    }

    /** A fresh stream decoder for one generation. */
    public TextStream newStream() {
        return bytes != null ? new ByteLevelStream(bytes) : new WholeTextStream(this::decode);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
