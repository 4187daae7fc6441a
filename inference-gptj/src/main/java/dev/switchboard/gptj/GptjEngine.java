package dev.switchboard.gptj;

import dev.switchboard.gptj.internal.generate.Batcher;
import dev.switchboard.gptj.internal.model.LoadedModel;
import dev.switchboard.gptj.internal.tokenizer.HfTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

/**
 * A GPT-J model loaded for serving: HF {@code GPTJForCausalLM} semantics, tokens from HF's tokenizer,
 * concurrent requests decoded together (continuous batching).
 *
 * <pre>{@code
 * try (GptjEngine engine = GptjEngine.load(Path.of("models/gpt-j-6b"), EngineOptions.defaults().withWeights(WeightFormat.INT8))) {
 *     GenerationResult r = engine.generate(
 *             GenerationRequest.of("The food was delicious.").withMaxTokens(32).withStop(List.of("\n")),
 *             (id, delta) -> System.out.print(delta));
 * }
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may submit requests; they share the model.
 */
public final class GptjEngine implements AutoCloseable {

    private final LoadedModel model;
    private final HfTokenizer tokenizer; // null: token-id prompts only
    private final Batcher batcher;

    private GptjEngine(LoadedModel model, HfTokenizer tokenizer, EngineOptions options) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.batcher = new Batcher(model.backend(), tokenizer, options.maxBatchSize(), options.prefillChunk(), System::nanoTime);
    }

    /**
     * Loads {@code modelDir} ({@code config.json} + {@code model.safetensors} or a sharded index, and
     * {@code tokenizer.json} there or in {@link EngineOptions#tokenizerDir()}).
     *
     * @throws ModelLoadException           naming the file or tensor at fault
     * @throws BackendUnavailableException if the device cannot be used
     */
    public static GptjEngine load(Path modelDir, EngineOptions options) {
        Path tokDir = options.tokenizerDir() != null ? options.tokenizerDir() : modelDir;
        HfTokenizer tok = options.tokenizerDir() != null || HfTokenizer.present(modelDir) ? HfTokenizer.load(tokDir) : null;
        try {
            LoadedModel model = LoadedModel.open(modelDir, options);
            return new GptjEngine(model, tok, options);
        } catch (RuntimeException | Error e) {
            if (tok != null) {
                tok.close();
            }
            throw e;
        }
    }

    public GptjConfig config() {
        return model.config();
    }

    /** What runs the model, e.g. {@code "cpu, 16 threads, 16-lane vectors, int8 weights 6.40 GB, f32 KV cache"}. */
    public String describe() {
        return model.backend().describe();
    }

    /** Bytes of weights one decode step reads (the memory-bandwidth bound of decoding is bandwidth / this). */
    public long weightBytesPerStep() {
        return model.backend().weightBytesPerStep();
    }

    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    /** @throws IllegalStateException if the model was loaded without a tokenizer.json */
    public GptjTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException("this model was loaded without a tokenizer.json");
        }
        return tokenizer;
    }

    /**
     * Queues a request; returns at once. The listener hears each token as it is generated.
     *
     * @throws InvalidRequestException for a prompt the model cannot take (empty, longer than n_positions, unknown ids)
     */
    public GenerationHandle submit(GenerationRequest request, TokenListener listener) {
        return batcher.submit(request, listener);
    }

    /**
     * Generates and waits for the result. If the calling thread is interrupted, the request is
     * cancelled and {@link CancellationException} thrown (the interrupt flag stays set).
     *
     * @throws InvalidRequestException for a prompt the model cannot take
     */
    public GenerationResult generate(GenerationRequest request, TokenListener listener) {
        GenerationHandle h = submit(request, listener);
        try {
            return h.result().get();
        } catch (InterruptedException e) {
            h.cancel();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while generating");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("generation failed", e.getCause());
        }
    }

    /**
     * Runs three throwaway generations, two tokens each, so the JIT has compiled the kernels before the
     * first real request, which would otherwise pay for it (a fresh engine's first 200-token prefill takes
     * about three times as long as later ones): prompts of 128 and 112 tokens (long enough for the CPU's
     * prompt kernels, whose last packed block of 48 rows then takes two and one vectors) and one of 32
     * (the short-prompt kernels). Leaves no state behind. Returns the milliseconds it took.
     */
    public long warmUp() {
        long started = System.nanoTime();
        int vocab = config().vocabSize();
        for (int length : new int[] {128, 112, 32}) {
            int n = Math.min(length, config().nPositions() - 2);
            if (n >= 1) {
                List<Integer> ids = IntStream.range(0, n).map(i -> (int) ((i * 7919L + 1) % vocab)).boxed().toList();
                generate(GenerationRequest.ofTokens(ids).withMaxTokens(2).withStopAtEos(false).withSampling(Sampling.greedy()),
                        null);
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Stops the batching thread (pending requests fail), releases the model's memory and files. */
    @Override
    public void close() {
        batcher.close();
        model.close();
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
