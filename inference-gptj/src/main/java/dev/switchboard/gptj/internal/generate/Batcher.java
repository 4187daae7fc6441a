package dev.switchboard.gptj.internal.generate;

import dev.switchboard.gptj.FinishReason;
import dev.switchboard.gptj.GenerationHandle;
import dev.switchboard.gptj.GenerationRequest;
import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.InvalidRequestException;
import dev.switchboard.gptj.TokenListener;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.tokenizer.HfTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Continuous batching: one thread runs the model step after step over every active sequence, so
 * concurrent requests share each pass over the weights. Requests join between steps (their prompt is
 * prefilled in chunks of {@code prefillChunk} tokens, the last one shorter, at most {@code prefillChunk}
 * prompt tokens per step, alongside the others' decode tokens) and leave as soon as they finish. A
 * prompt's chunks never depend on the other requests, so neither do its results. Up to
 * {@code maxBatch} sequences are active; later ones
 * queue in arrival order. {@link #submit} is thread-safe.
 */
public final class Batcher implements AutoCloseable {

    private final ForwardBackend backend;
    private final HfTokenizer tokenizer; // null: token-id prompts only
    private final GptjConfig config;
    private final int maxBatch;
    private final int prefillChunk;
    private final LongSupplier nanoTime;
    private final LinkedBlockingQueue<Sequence> queue = new LinkedBlockingQueue<>();
    private final List<Sequence> active = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    public Batcher(ForwardBackend backend, HfTokenizer tokenizer, int maxBatch, int prefillChunk, LongSupplier nanoTime) {
        this.backend = backend;
        this.tokenizer = tokenizer;
        this.config = backend.config();
        this.maxBatch = maxBatch;
        this.prefillChunk = prefillChunk;
        this.nanoTime = nanoTime;
        this.thread = Thread.ofPlatform().daemon().name("gptj-batcher").start(this::loop);
    }

    /**
     * Validates and queues a request.
     *
     * @throws InvalidRequestException for a prompt the model cannot take (empty, too long, unknown ids)
     */
    public GenerationHandle submit(GenerationRequest request, TokenListener listener) {
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
        int[] prompt = promptIds(request);
        if ((tokenizer == null) && !request.stop().isEmpty()) {
            throw new InvalidRequestException("stop sequences need a tokenizer, and this model was loaded without one");
        }
        long seed = request.sampling().seed() != null ? request.sampling().seed() : ThreadLocalRandom.current().nextLong();
        Sequence seq = new Sequence(request, prompt, listener == null ? TokenListener.NONE : listener,
                new Sampler(request.sampling(), config.vocabSize(), seed),
                tokenizer == null ? null : tokenizer.newStream(), config.eosTokenId(), nanoTime.getAsLong());
        queue.add(seq);
        return seq;
    }

    private int[] promptIds(GenerationRequest request) {
        int[] ids = switch (request.prompt()) {
            case GenerationRequest.Prompt.Text t -> {
                if (tokenizer == null) {
                    throw new InvalidRequestException("text prompts need a tokenizer (tokenizer.json), and this model was "
                            + "loaded without one; pass token ids instead");
                }
                yield tokenizer.encode(t.text()).stream().mapToInt(Integer::intValue).toArray();
            }
            case GenerationRequest.Prompt.Tokens t -> t.ids().stream().mapToInt(Integer::intValue).toArray();
        };
        return PromptCheck.check(ids, config);
    }

    private void loop() {
        while (!closed) {
            try {
                if (active.isEmpty()) {
                    Sequence next = queue.take();
                    admit(next);
                }
                Sequence more;
                while (active.size() < maxBatch && (more = queue.poll()) != null) {
                    admit(more);
                }
                step();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                failAll(e);
            }
        }
        failAll(new IllegalStateException("engine closed"));
        Sequence s;
        while ((s = queue.poll()) != null) {
            s.fail(new IllegalStateException("engine closed"));
        }
    }

    private void admit(Sequence s) {
        if (s.cancelRequested()) {
            s.finish(FinishReason.CANCELLED, nanoTime.getAsLong());
            return;
        }
        int capacity = (int) Math.min(config.nPositions(), (long) s.prompt.length + s.request.maxTokens());
        try {
            s.cache = backend.newCache(capacity);
        } catch (RuntimeException | OutOfMemoryError e) {
            s.fail(e); // e.g. no memory for its KV cache: this request fails, the others go on
            return;
        }
        s.moveTo(SequenceState.PREFILLING);
        active.add(s);
    }

    /** One forward pass over every active sequence: decode tokens plus at most prefillChunk prompt tokens. */
    private void step() {
        for (Iterator<Sequence> it = active.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.cancelRequested()) {
                s.finish(FinishReason.CANCELLED, nanoTime.getAsLong());
                s.cache.close();
                it.remove();
            }
        }
        List<SequenceChunk> chunks = new ArrayList<>();
        List<Sequence> members = new ArrayList<>();
        int budget = prefillChunk;
        for (Sequence s : active) {
            if (s.state == SequenceState.DECODING) {
                chunks.add(SequenceChunk.generated(s.cache, s.lastToken()));
                members.add(s);
            } else {
                // chunks at fixed boundaries (every prefillChunk tokens from the prompt's start), so a prompt
                // is cut the same way whatever else runs: the backend may pick kernels by chunk length
                int n = Math.min(prefillChunk, s.prompt.length - s.prefilled);
                if (n > budget) {
                    continue;
                }
                int[] part = Arrays.copyOfRange(s.prompt, s.prefilled, s.prefilled + n);
                boolean completes = s.prefilled + n == s.prompt.length;
                chunks.add(new SequenceChunk(s.cache, part, completes ? SequenceChunk.Logits.LAST : SequenceChunk.Logits.NONE));
                members.add(s);
                budget -= n;
            }
        }
        if (chunks.isEmpty()) {
            return;
        }
        float[][] logits = backend.forward(chunks);
        long now = nanoTime.getAsLong();
        for (int i = 0; i < members.size(); i++) {
            Sequence s = members.get(i);
            if (s.state == SequenceState.PREFILLING) {
                s.prefilled += chunks.get(i).tokens().length;
                if (logits[i] == null) {
                    continue;
                }
                s.moveTo(SequenceState.DECODING);
            }
            FinishReason reason = s.accept(logits[i], now);
            if (reason != null) {
                s.finish(reason, now);
                s.cache.close();
                active.remove(s);
            }
        }
    }

    private void failAll(Throwable e) {
        for (Sequence s : active) {
            s.fail(e);
            s.cache.close();
        }
        active.clear();
    }

    /** Sequences in the batch and waiting (for tests and metrics). */
    public int load() {
        return active.size() + queue.size();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
