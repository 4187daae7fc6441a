package dev.switchboard.gptj;

import java.nio.file.Path;

/**
 * How {@link GptjEngine#load} prepares a model.
 *
 * @param device        where the forward pass runs
 * @param threads       compute threads of the CPU backend (a fixed pool; matrix rows are split across them)
 * @param weights       weight format in memory
 * @param kvCache       how the CPU backend holds keys and values ({@link KvCacheFormat#F32}: exact)
 * @param maxBatchSize  the most sequences decoded together; further requests wait for a free slot
 * @param prefillChunk  the most prompt tokens processed in one step, so long prompts do not stall running decodes;
 *                      prompts are cut into chunks of this many tokens
 * @param tokenizerDir  directory with {@code tokenizer.json}; null looks in the model directory (and runs without
 *                      a tokenizer if there is none: token-id prompts only)
 * @param listener      load progress
 */
public record EngineOptions(
        Device device,
        int threads,
        WeightFormat weights,
        KvCacheFormat kvCache,
        int maxBatchSize,
        int prefillChunk,
        Path tokenizerDir,
        LoadListener listener) {

    public EngineOptions {
        if (device == null) {
            throw new IllegalArgumentException("device must be given");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        }
        if (weights == null) {
            throw new IllegalArgumentException("weights must be given");
        }
        if (kvCache == null) {
            throw new IllegalArgumentException("kvCache must be given");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be ≥ 1, got " + maxBatchSize);
        }
        if (prefillChunk < 1) {
            throw new IllegalArgumentException("prefillChunk must be ≥ 1, got " + prefillChunk);
        }
        listener = listener == null ? LoadListener.NONE : listener;
    }

    /**
     * CPU, one thread per available processor, weights as stored, an fp32 KV cache, batches of up to 16, prefill
     * chunks of 512.
     */
    public static EngineOptions defaults() {
        return new EngineOptions(Device.CPU, Runtime.getRuntime().availableProcessors(), WeightFormat.AS_STORED, KvCacheFormat.F32, 16, 512,
                null, LoadListener.NONE);
    }

    public EngineOptions withDevice(Device d) {
        return new EngineOptions(d, threads, weights, kvCache, maxBatchSize, prefillChunk, tokenizerDir, listener);
    }

    public EngineOptions withThreads(int n) {
        return new EngineOptions(device, n, weights, kvCache, maxBatchSize, prefillChunk, tokenizerDir, listener);
    }

    public EngineOptions withWeights(WeightFormat w) {
        return new EngineOptions(device, threads, w, kvCache, maxBatchSize, prefillChunk, tokenizerDir, listener);
    }

    public EngineOptions withKvCache(KvCacheFormat f) {
        return new EngineOptions(device, threads, weights, f, maxBatchSize, prefillChunk, tokenizerDir, listener);
    }

    public EngineOptions withMaxBatchSize(int n) {
        return new EngineOptions(device, threads, weights, kvCache, n, prefillChunk, tokenizerDir, listener);
    }

    public EngineOptions withPrefillChunk(int n) {
        return new EngineOptions(device, threads, weights, kvCache, maxBatchSize, n, tokenizerDir, listener);
    }

    public EngineOptions withTokenizerDir(Path dir) {
        return new EngineOptions(device, threads, weights, kvCache, maxBatchSize, prefillChunk, dir, listener);
    }

    public EngineOptions withListener(LoadListener l) {
        return new EngineOptions(device, threads, weights, kvCache, maxBatchSize, prefillChunk, tokenizerDir, l);
    }
}
