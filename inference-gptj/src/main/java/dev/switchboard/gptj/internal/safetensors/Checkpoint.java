package dev.switchboard.gptj.internal.safetensors;

import dev.switchboard.gptj.ModelLoadException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tensors of a model directory: {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json} (HF's order of preference). All files are mapped into one
 * arena, released by {@link #close()}; tensors must not be used after that.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Arena arena;
    private final List<SafetensorsFile> files;
    private final Map<String, Tensor> tensors;

    private Checkpoint(Arena arena, List<SafetensorsFile> files, Map<String, Tensor> tensors) {
        this.arena = arena;
        this.files = files;
        this.tensors = tensors;
    }

    /**
     * Opens the checkpoint in {@code dir}; {@code onFile} is told of each file as it is mapped.
     *
     * @throws ModelLoadException naming the file at fault
     */
    public static Checkpoint open(Path dir, Consumer<Path> onFile) {
        Path single = dir.resolve(SINGLE_FILE);
        Path index = dir.resolve(INDEX_FILE);
        Arena arena = Arena.ofShared();
        try {
            if (Files.isRegularFile(single)) {
                onFile.accept(single);
                SafetensorsFile f = SafetensorsFile.open(single, arena);
                return new Checkpoint(arena, List.of(f), f.tensors());
            }
            if (Files.isRegularFile(index)) {
                return openSharded(dir, index, arena, onFile);
            }
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        arena.close();
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException(dir + ": no such model directory");
        }
        String pickle = Files.isRegularFile(dir.resolve("pytorch_model.bin")) ? "pytorch_model.bin"
                : Files.isRegularFile(dir.resolve("pytorch_model.bin.index.json")) ? "pytorch_model.bin.index.json" : null;
        throw new ModelLoadException(dir + ": has neither " + SINGLE_FILE + " nor " + INDEX_FILE
                + " (only safetensors checkpoints are supported"
                + (pickle == null ? ")" : "; it has " + pickle + ", which converts once with transformers:"
                        + " GPTJForCausalLM.from_pretrained(dir).save_pretrained(out, safe_serialization=True))"));
    }

    private static Checkpoint openSharded(Path dir, Path index, Arena arena, Consumer<Path> onFile) {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            String shardName = e.getValue();
            SafetensorsFile shard = shards.get(shardName);
            if (shard == null) {
                Path shardPath = dir.resolve(shardName).normalize();
                if (!shardPath.getParent().equals(dir.normalize())) {
                    throw new ModelLoadException(index + ": shard '" + shardName + "' must be a file name inside " + dir);
                }
                if (!Files.isRegularFile(shardPath)) {
                    throw new ModelLoadException(index + ": lists shard '" + shardName + "' (for tensor '" + e.getKey()
                            + "') but " + shardPath + " does not exist");
                }
                onFile.accept(shardPath);
                shard = SafetensorsFile.open(shardPath, arena);
                shards.put(shardName, shard);
            }
            Tensor t = shard.tensors().get(e.getKey());
            if (t == null) {
                throw new ModelLoadException(index + ": says tensor '" + e.getKey() + "' is in " + shardName
                        + " but that file has no such tensor");
            }
            tensors.put(e.getKey(), t);
        }
        return new Checkpoint(arena, List.copyOf(shards.values()), Collections.unmodifiableMap(tensors));
    }

    private static Map<String, String> readWeightMap(Path index) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readString(index));
        } catch (JacksonException e) {
            throw new ModelLoadException(index + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ModelLoadException(index + ": cannot read: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new ModelLoadException(index + ": needs a non-empty \"weight_map\" object of tensor name → shard file");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isString()) {
                throw new ModelLoadException(index + ": weight_map entry '" + e.getKey() + "' must be a file name");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }

    public Optional<Tensor> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** All tensors by name. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (SafetensorsFile f : files) {
            out.add(f.path());
        }
        return out;
    }

    /** Unmaps every file. */
    @Override
    public void close() {
        arena.close();
    }
}
