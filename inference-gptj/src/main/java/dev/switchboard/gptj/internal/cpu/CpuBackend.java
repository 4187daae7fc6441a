package dev.switchboard.gptj.internal.cpu;

import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.KvCacheFormat;
import dev.switchboard.gptj.WeightFormat;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import dev.switchboard.gptj.internal.kernel.Simd;
import dev.switchboard.gptj.internal.model.GptjWeights;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Locale;

/** The forward pass on the CPU: Vector API kernels on a fixed pool of {@code threads} compute threads. */
public final class CpuBackend implements ForwardBackend {

    private final GptjConfig config;
    private final ComputePool pool;
    private final Arena arena; // int8 copies of the weights
    private final CpuWeights weights;
    private final CpuForward forward;
    private final WeightFormat format;
    private final KvCacheFormat kvCache;

    public CpuBackend(GptjWeights w, EngineOptions options) {
        this.config = w.config();
        this.format = options.weights();
        this.kvCache = options.kvCache();
        this.pool = new ComputePool(options.threads());
        this.arena = Arena.ofShared();
        try {
            this.weights = CpuWeights.build(w, options.weights(), pool, arena, options.listener());
            this.forward = new CpuForward(config, weights, pool, format == WeightFormat.W8A8);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @Override
    public GptjConfig config() {
        return config;
    }

    @Override
    public String describe() {
        String fmt = switch (format) {
            case AS_STORED -> "as stored";
            case INT8 -> "int8";
            case W8A8 -> "int8 (w8a8)";
        };
        return String.format(Locale.ROOT, "cpu, %d threads, %d-lane vectors, %s weights %.2f GB, %s KV cache", pool.threads(),
                Simd.L, fmt, weights.residentBytes() / 1e9, kvCache);
    }

    @Override
    public long weightBytesPerStep() {
        return weights.matrixBytesPerStep();
    }

    /** int8 weights are copies: the mapped checkpoint may be released after loading. */
    @Override
    public boolean needsCheckpoint() {
        return !format.int8();
    }

    @Override
    public KvCache newCache(int capacity) {
        if (capacity < 1 || capacity > config.nPositions()) {
            throw new IllegalArgumentException("cache capacity must be in [1, n_positions=" + config.nPositions() + "], got "
                    + capacity);
        }
        return new CpuKvCache(config.nLayer(), config.nEmbd(), config.headDim(), capacity, kvCache);
    }

    @Override
    public float[][] forward(List<SequenceChunk> chunks) {
        if (chunks.isEmpty()) {
            return new float[0][];
        }
        return forward.forward(chunks);
    }

    @Override
    public void close() {
        pool.close();
        arena.close();
    }
}
