package dev.switchboard.gptj;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HF reference fixtures copied from ../shared/fixtures/gptj into the test resources. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/gptj/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** fp32, vocab 1024, n_embd 64, 3 layers, 4 heads, rotary_dim 8. */
    public static Path tiny() {
        return dir("tiny-random-gptj");
    }

    /** fp16, the real GPT-J vocab (50,400), n_embd 64, 2 layers. */
    public static Path small() {
        return dir("small-random-gptj-fp16");
    }

    public static Path tokenizer() {
        return dir("tokenizer");
    }

    public static JsonNode json(Path file) {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    public static List<Integer> intList(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    public static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
