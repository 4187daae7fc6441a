package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.internal.model.ConfigFile;
import dev.switchboard.gptj.internal.model.RandomCheckpoint;
import dev.switchboard.gptj.internal.safetensors.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "random-init", mixinStandardHelpOptions = true,
        description = "Writes a GPT-J checkpoint with random weights, of the shape a config.json gives (keys it lacks take HF's GPT-J defaults), that both this engine and HF GPTJForCausalLM load.")
final class RandomInitCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "A GPT-J config.json (or a directory holding one).")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created if missing).")
    Path out;

    @Option(names = "--dtype", paramLabel = "f16|bf16|f32", defaultValue = "f16",
            description = "Stored weight type (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "1",
            description = "Write N shard files and model.safetensors.index.json (default: one model.safetensors).")
    int shards;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "Copy tokenizer.json (and tokenizer_config.json) from DIR.")
    Path tokenizer;

    @Option(names = "--legacy-buffers", description = "Also write the attn.bias / attn.masked_bias buffers old checkpoints carry.")
    boolean legacyBuffers;

    @Override
    public Integer call() throws IOException {
        Path file = Files.isDirectory(config) ? config.resolve("config.json") : config;
        GptjConfig c = ConfigFile.read(file, null);
        DType t = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f16", "fp16", "float16" -> DType.F16;
            case "bf16", "bfloat16" -> DType.BF16;
            case "f32", "fp32", "float32" -> DType.F32;
            default -> throw new IllegalArgumentException("--dtype must be f16, bf16 or f32, got '" + dtype + "'");
        };
        StderrProgress progress = new StderrProgress();
        progress.note(String.format(Locale.ROOT, "random GPT-J: %.3f B parameters, %s, %d shard(s) → %s",
                c.parameterCount() / 1e9, t, shards, out));
        RandomCheckpoint.write(c, out, new RandomCheckpoint.Options(t, shards, seed, legacyBuffers), progress);
        if (tokenizer != null) {
            Files.copy(tokenizer.resolve("tokenizer.json"), out.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
            Path tc = tokenizer.resolve("tokenizer_config.json");
            if (Files.isRegularFile(tc)) {
                Files.copy(tc, out.resolve("tokenizer_config.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        progress.note("done");
        return 0;
    }
}
