package dev.switchboard.gptj.internal.safetensors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.GptjConfig.Activation;
import dev.switchboard.gptj.ModelLoadException;
import dev.switchboard.gptj.RandomCheckpoints;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of broken model directory gives a ModelLoadException naming the file, tensor or field. */
class BadCheckpointTest {

    private static final GptjConfig CONFIG = RandomCheckpoints.config(50, 16, 16, 2, 2, 4, 32, Activation.GELU_NEW, 1);

    @TempDir
    Path tmp;

    private Path good(String name) {
        return RandomCheckpoints.write(tmp.resolve(name), CONFIG, DType.F32, 1, false);
    }

    private static void open(Path dir) {
        try (LoadedModel m = LoadedModel.open(dir, EngineOptions.defaults().withThreads(1))) {
            m.backend();
        }
    }

    @Test
    void missingDirectory() {
        assertThatThrownBy(() -> open(tmp.resolve("nope")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("nope").hasMessageContaining("no such model directory");
    }

    @Test
    void missingWeights() throws IOException {
        Path dir = good("m");
        Files.delete(dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("model.safetensors.index.json");
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("it has pytorch_model.bin, which converts once with transformers")
                .hasMessageContaining("save_pretrained(out, safe_serialization=True)");
    }

    @Test
    void missingConfig() throws IOException {
        Path dir = good("m");
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class).hasMessageContaining("config.json");
    }

    @Test
    void configWithImpossibleValues() throws IOException {
        Path dir = good("m");
        Files.writeString(dir.resolve("config.json"), "{\"n_embd\": 16, \"n_head\": 3, \"n_layer\": 2, \"vocab_size\": 50}");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("config.json").hasMessageContaining("n_head (3) must divide n_embd (16)");
        Files.writeString(dir.resolve("config.json"), "{\"n_embd\": \"wide\"}");
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("n_embd must be an integer");
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("model_type is 'gpt2'");
        Files.writeString(dir.resolve("config.json"), "{\"activation_function\": \"mish\"}");
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("activation_function 'mish' is not supported");
        Files.writeString(dir.resolve("config.json"), "{\"tie_word_embeddings\": \"yes\"}");
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("tie_word_embeddings must be true or false, got \"yes\"");
    }

    @Test
    void truncatedFile() throws IOException {
        Path dir = good("m");
        Path f = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model.safetensors").hasMessageContaining("lm_head").hasMessageContaining("truncated");
        Files.write(f, java.util.Arrays.copyOf(all, 5));
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("too short for a safetensors header");
        Files.write(f, java.util.Arrays.copyOf(all, 40));
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("declares a header of");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        Path dir = good("m");
        writeRaw(dir.resolve("model.safetensors"), "{not json", new byte[0]);
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void headerLyingAboutOffsets() throws IOException {
        Path f = tmp.resolve("lie.safetensors");
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[16,4000016]}}", new byte[32]);
        assertThatThrownBy(() -> SafetensorsFile.open(f, java.lang.foreign.Arena.ofAuto()))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("tensor 'b'").hasMessageContaining("4000016");
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,12]}}", new byte[16]);
        assertThatThrownBy(() -> SafetensorsFile.open(f, java.lang.foreign.Arena.ofAuto()))
                .hasMessageContaining("tensor 'a'").hasMessageContaining("needs 16 bytes");
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", new byte[16]);
        assertThatThrownBy(() -> SafetensorsFile.open(f, java.lang.foreign.Arena.ofAuto())).hasMessageContaining("overlap");
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", new byte[16]);
        assertThatThrownBy(() -> SafetensorsFile.open(f, java.lang.foreign.Arena.ofAuto())).hasMessageContaining("non-negative");
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,0]}}", new byte[16]);
        assertThatThrownBy(() -> SafetensorsFile.open(f, java.lang.foreign.Arena.ofAuto())).hasMessageContaining("ascending");
        writeRaw(f, "{\"a\":{\"dtype\":\"Q4\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[16]);
        assertThatThrownBy(() -> SafetensorsFile.open(f, java.lang.foreign.Arena.ofAuto())).hasMessageContaining("unknown dtype 'Q4'");
        writeRaw(f, "{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}", new byte[16]);
        assertThatThrownBy(() -> SafetensorsFile.open(f, java.lang.foreign.Arena.ofAuto())).hasMessageContaining("impossibly large");
    }

    @Test
    void missingTensor() throws IOException {
        Path dir = without("transformer.h.1.mlp.fc_out.bias");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor 'transformer.h.1.mlp.fc_out.bias' is missing");
    }

    @Test
    void aMissingOutputLayerPointsAtTieWordEmbeddings() throws IOException {
        Path dir = without("lm_head.weight");
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor 'lm_head.weight' is missing from the checkpoint (model.safetensors)")
                .hasMessageContaining("tie_word_embeddings false");
    }

    @Test
    void shapeMismatchNamesTheTensorAndTheConfig() throws IOException {
        Path dir = good("m");
        // a config claiming a wider MLP than the weights have
        String cfg = Files.readString(dir.resolve("config.json")).replace("\"n_inner\" : 32", "\"n_inner\" : 48");
        Files.writeString(dir.resolve("config.json"), cfg);
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("transformer.h.0.mlp.fc_in.weight").hasMessageContaining("[32, 16]")
                .hasMessageContaining("needs [48, 16]").hasMessageContaining("n_inner=48");
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), Files.readString(good("src").resolve("config.json")));
        List<SafetensorsWriter.Spec> specs = specsOf(CONFIG).stream().map(s -> s.name().equals("lm_head.weight")
                ? new SafetensorsWriter.Spec(s.name(), DType.U8, s.shape(), s.source()) : s).toList();
        SafetensorsWriter.write(dir.resolve("model.safetensors"), specs);
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tensor 'lm_head.weight' has dtype U8").hasMessageContaining("F32, F16 and BF16");
    }

    @Test
    void shardedCheckpointWithAMissingShardOrAWrongIndex() throws IOException {
        Path dir = RandomCheckpoints.write(tmp.resolve("s"), CONFIG, DType.F16, 3, false);
        Path index = dir.resolve(Checkpoint.INDEX_FILE);
        String original = Files.readString(index);
        Files.move(dir.resolve("model-00002-of-00003.safetensors"), tmp.resolve("moved"));
        assertThatThrownBy(() -> open(dir)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model-00002-of-00003.safetensors").hasMessageContaining("does not exist");
        Files.move(tmp.resolve("moved"), dir.resolve("model-00002-of-00003.safetensors"));
        Files.writeString(index, original.replace("\"lm_head.bias\" : \"model-00003-of-00003.safetensors\"",
                "\"lm_head.bias\" : \"model-00001-of-00003.safetensors\""));
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("lm_head.bias").hasMessageContaining("model-00001-of-00003")
                .hasMessageContaining("no such tensor");
        Files.writeString(index, "{\"weight_map\": {}}");
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("weight_map");
        Files.writeString(index, original.replace("model-00003-of-00003.safetensors", "../escape.safetensors"));
        assertThatThrownBy(() -> open(dir)).hasMessageContaining("must be a file name inside");
    }

    /** A good checkpoint written without tensor {@code name}. */
    private Path without(String name) throws IOException {
        Path dir = tmp.resolve("m");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), Files.readString(good("src").resolve("config.json")));
        List<SafetensorsWriter.Spec> specs = new java.util.ArrayList<>(specsOf(CONFIG));
        specs.removeIf(s -> s.name().equals(name));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), specs);
        return dir;
    }

    private static List<SafetensorsWriter.Spec> specsOf(GptjConfig c) {
        return dev.switchboard.gptj.internal.model.RandomCheckpointAccess.specs(c);
    }

    private static void writeRaw(Path f, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(f, b.array());
    }
}
