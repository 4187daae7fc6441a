package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.Device;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.KvCacheFormat;
import dev.switchboard.gptj.WeightFormat;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that loads a model shares. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model directory: config.json and model.safetensors (or model.safetensors.index.json with its shards).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "DIR",
            description = "Directory with tokenizer.json (default: the model directory, if it has one).")
    Path tokenizer;

    @Option(names = "--threads", paramLabel = "T", description = "Compute threads (default: one per available processor).")
    Integer threads;

    @Option(names = "--int8", description = "Quantize weights to int8 at load (≈1 byte per weight; fp32 arithmetic).")
    boolean int8;

    @Option(names = "--int8-activations", description = "With --int8: generated tokens' activations quantized to int8 "
            + "too (per block of 64; integer kernels, AVX-512): faster decode of 1-3 sequences (about +15%% on average), "
            + "slower batches of 4 or more.")
    boolean int8Activations;

    @Option(names = "--kv-cache", paramLabel = "f32|bf16", defaultValue = "f32",
            description = "How the CPU keeps each sequence's keys and values (default: ${DEFAULT-VALUE}, exact). bf16 halves "
                    + "their memory and what attention reads per token (faster decode at long contexts), rounding each to "
                    + "8 significant bits.")
    String kvCache;

    @Option(names = "--device", paramLabel = "cpu|cuda", defaultValue = "cpu",
            description = "Where the forward pass runs (default: ${DEFAULT-VALUE}).")
    String device;

    WeightFormat weightFormat() {
        if (int8Activations && !int8) {
            throw new IllegalArgumentException("--int8-activations needs --int8 (it quantizes activations for int8 weights)");
        }
        return int8Activations ? WeightFormat.W8A8 : int8 ? WeightFormat.INT8 : WeightFormat.AS_STORED;
    }

    EngineOptions engineOptions(int maxBatch) {
        EngineOptions o = EngineOptions.defaults()
                .withDevice(Device.parse(device))
                .withWeights(weightFormat())
                .withKvCache(KvCacheFormat.parse(kvCache))
                .withMaxBatchSize(maxBatch)
                .withTokenizerDir(tokenizer)
                .withListener(new StderrProgress());
        return threads != null ? o.withThreads(threads) : o;
    }
}
