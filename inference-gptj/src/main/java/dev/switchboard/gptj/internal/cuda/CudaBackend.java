package dev.switchboard.gptj.internal.cuda;

import dev.switchboard.gptj.BackendUnavailableException;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.KvCacheFormat;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.WeightFormat;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.GptjWeights;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The forward pass on an NVIDIA GPU ({@code --device cuda}): fp16 weights resident on the device,
 * a preallocated KV cache of {@code slots} sequences, single-sequence decode as one CUDA graph,
 * several sequences (and prompts) through cuBLAS. See {@link GptjDevice} for the passes.
 *
 * <p>Tuning knobs (system properties, for benchmarks): {@code switchboard.cuda.device} (ordinal),
 * {@code switchboard.cuda.graphs} (false: launch the decode step kernel by kernel),
 * {@code switchboard.cuda.gemv} (e.g. {@code qkvfc=r4u4t128,resid=r2u4t128,lm=r4u4t128}).
 *
 * <p>Thread-safety: {@link #forward} from one thread at a time (the engine's batching thread);
 * caches may be created and closed from any thread.
 */
public final class CudaBackend implements ForwardBackend {
    static final String DEFAULT_GEMV = "qkvfc=r2u8t256,resid=r2u8t128,lm=r2u4t128";
    private static final long MEMORY_MARGIN = 512L << 20;
    private static final String UNAVAILABLE = "CUDA backend not available: ";

    private final GptjConfig config;
    private final CudaContext cx;
    private final GptjDevice device;
    private final BitSet freeSlots;
    private final String description;

    CudaBackend(GptjWeights weights, EngineOptions options) {
        if (options.weights().int8()) {
            throw new BackendUnavailableException(UNAVAILABLE
                    + "int8 weights are a CPU-backend format; the CUDA backend keeps fp16 weights (drop --int8)");
        }
        if (options.kvCache() != KvCacheFormat.F32) {
            throw new BackendUnavailableException(UNAVAILABLE + "a " + options.kvCache()
                    + " KV cache is a CPU-backend format; the CUDA backend's cache is fp16 always (drop --kv-cache)");
        }
        this.config = weights.config();
        ModelShape shape = ModelShape.of(config);
        try {
            shape.checkSupportedOnGpu();
        } catch (IllegalArgumentException e) {
            throw new BackendUnavailableException(UNAVAILABLE + e.getMessage() + "; use --device cpu for this model");
        }
        try {
            cx = CudaContext.open(Integer.getInteger("switchboard.cuda.device", 0));
        } catch (CudaUnavailableException e) {
            throw new BackendUnavailableException(UNAVAILABLE + e.getMessage(), e);
        }
        try {
            DevicePlan plan = planFor(shape, options, cx);
            LoadListener listener = options.listener();
            listener.note("GPU: " + cx.describe());
            boolean graphs = !"false".equals(System.getProperty("switchboard.cuda.graphs"));
            device = GptjDevice.load(cx, plan, weights,
                    (done, total) -> listener.progress("upload to GPU", done, total), graphs);
            freeSlots = new BitSet(plan.slots());
            freeSlots.set(0, plan.slots());
            description = String.format(Locale.ROOT,
                    "cuda, %s, fp16 weights %.2f GB, KV cache %d x %d positions (%.2f GB), decode %s, gemv %s/%s/%s",
                    cx.deviceName(), device.weightBytes() / 1e9, plan.slots(), plan.maxPos(),
                    plan.kvCacheBytes() / 1e9, graphs ? "as one CUDA graph" : "kernel by kernel", plan.qkvfc(),
                    plan.resid(), plan.lmHead());
        } catch (RuntimeException | Error e) {
            cx.close();
            throw e;
        }
    }

    /**
     * As many KV-cache slots as the batch size asks for and the GPU's free memory holds after the
     * weights and the workspace.
     */
    static DevicePlan planFor(ModelShape shape, EngineOptions options, CudaContext cx) {
        GemvVariant[] gemv = gemvVariants(System.getProperty("switchboard.cuda.gemv", DEFAULT_GEMV));
        int maxPos = shape.nPositions();
        int chunk = Math.min(options.prefillChunk(), maxPos);
        DevicePlan wanted = new DevicePlan(shape, options.maxBatchSize(), maxPos, chunk, cx.multiprocessors(),
                gemv[0], gemv[1], gemv[2]);
        long free = cx.driver.memGetInfo()[0];
        long fixed = wanted.weightBytes() + wanted.workspaceBytes() + MEMORY_MARGIN;
        long slots = Math.min(options.maxBatchSize(), (free - fixed) / wanted.kvBytesPerSlot());
        if (slots < 1) {
            throw new BackendUnavailableException(UNAVAILABLE + String.format(Locale.ROOT,
                    "not enough GPU memory on %s: weights %.2f GB + workspace %.2f GB + one sequence's KV cache "
                            + "%.2f GB exceed the %.2f GB free", cx.deviceName(), wanted.weightBytes() / 1e9,
                    wanted.workspaceBytes() / 1e9, wanted.kvBytesPerSlot() / 1e9, free / 1e9));
        }
        return new DevicePlan(shape, (int) slots, maxPos, chunk, cx.multiprocessors(), gemv[0], gemv[1], gemv[2]);
    }

    static GemvVariant[] gemvVariants(String spec) {
        GemvVariant[] out = GemvVariant.parseAll(DEFAULT_GEMV);
        GemvVariant[] given = GemvVariant.parseAll(spec);
        for (int i = 0; i < 3; i++) {
            if (given[i] != null) {
                out[i] = given[i];
            }
        }
        return out;
    }

    GptjDevice device() {
        return device;
    }

    @Override
    public GptjConfig config() {
        return config;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long weightBytesPerStep() {
        return device.plan().shape().weightBytesPerToken();
    }

    /** Everything lives in device memory: the mapped checkpoint may be released. */
    @Override
    public boolean needsCheckpoint() {
        return false;
    }

    @Override
    public synchronized KvCache newCache(int capacity) {
        int maxPos = device.plan().maxPos();
        if (capacity < 1 || capacity > maxPos) {
            throw new IllegalArgumentException("cache capacity must be in [1, " + maxPos + "], got " + capacity);
        }
        int slot = freeSlots.nextSetBit(0);
        if (slot < 0) {
            throw new IllegalStateException("all " + device.plan().slots() + " GPU KV-cache slots (sequences of "
                    + maxPos + " positions that fit in the GPU's memory) are in use; lower the batch size");
        }
        freeSlots.clear(slot);
        return new CudaKvCache(this, slot, capacity);
    }

    synchronized void release(int slot) {
        freeSlots.set(slot);
    }

    @Override
    public float[][] forward(List<SequenceChunk> chunks) {
        validate(chunks);
        float[][] out = new float[chunks.size()][];
        List<Integer> decodes = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            SequenceChunk c = chunks.get(i);
            if (c.tokens().length == 1 && c.logits() == SequenceChunk.Logits.LAST) {
                decodes.add(i);
            }
        }
        if (decodes.size() == 1) {
            SequenceChunk c = chunks.get(decodes.get(0));
            CudaKvCache cache = (CudaKvCache) c.cache();
            out[decodes.get(0)] = device.decode(cache.slot, c.tokens()[0], cache.length());
        } else if (decodes.size() > 1) {
            int n = decodes.size();
            int[] slots = new int[n], tokens = new int[n], pos = new int[n];
            for (int j = 0; j < n; j++) {
                SequenceChunk c = chunks.get(decodes.get(j));
                CudaKvCache cache = (CudaKvCache) c.cache();
                slots[j] = cache.slot;
                tokens[j] = c.tokens()[0];
                pos[j] = cache.length();
            }
            float[][] logits = device.decodeBatch(slots, tokens, pos);
            for (int j = 0; j < n; j++) {
                out[decodes.get(j)] = logits[j];
            }
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (decodes.contains(i)) {
                continue;
            }
            SequenceChunk c = chunks.get(i);
            CudaKvCache cache = (CudaKvCache) c.cache();
            GptjDevice.Logits wanted = switch (c.logits()) {
                case NONE -> GptjDevice.Logits.NONE;
                case LAST -> GptjDevice.Logits.LAST;
                case ALL -> GptjDevice.Logits.ALL;
            };
            float[][] rows = device.prefill(cache.slot, c.tokens(), cache.length(), wanted);
            out[i] = switch (c.logits()) {
                case NONE -> null;
                case LAST -> rows[0];
                case ALL -> flatten(rows);
            };
        }
        for (SequenceChunk c : chunks) {
            ((CudaKvCache) c.cache()).advance(c.tokens().length);
        }
        return out;
    }

    /** Everything checked before any device work, so a rejected call changes no cache. */
    private void validate(List<SequenceChunk> chunks) {
        Set<CudaKvCache> seen = new HashSet<>();
        for (SequenceChunk c : chunks) {
            if (!(c.cache() instanceof CudaKvCache cache) || cache.owner() != this) {
                throw new IllegalArgumentException("a cache from another backend was passed to the CUDA backend");
            }
            if (cache.isClosed()) {
                throw new IllegalArgumentException("cache of slot " + cache.slot + " is closed");
            }
            if (!seen.add(cache)) {
                throw new IllegalArgumentException("one cache appears twice in a forward batch");
            }
            if (cache.length() + c.tokens().length > cache.capacity()) {
                throw new IllegalArgumentException("sequence of " + cache.length() + " positions + "
                        + c.tokens().length + " new tokens exceeds its cache capacity " + cache.capacity());
            }
            for (int t : c.tokens()) {
                if (t < 0 || t >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + t + " outside the vocabulary [0, "
                            + config.vocabSize() + ")");
                }
            }
        }
    }

    private static float[] flatten(float[][] rows) {
        int v = rows[0].length;
        float[] out = new float[rows.length * v];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * v, v);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            device.close();
        } finally {
            cx.close();
        }
    }
}
