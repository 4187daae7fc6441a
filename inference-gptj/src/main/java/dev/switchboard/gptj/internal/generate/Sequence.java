package dev.switchboard.gptj.internal.generate;

import dev.switchboard.gptj.FinishReason;
import dev.switchboard.gptj.GenerationHandle;
import dev.switchboard.gptj.GenerationRequest;
import dev.switchboard.gptj.GenerationResult;
import dev.switchboard.gptj.TokenListener;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.tokenizer.TextStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One request inside the batcher: its prompt, cache, sampler, text stream and result. Mutable state
 * is touched only by the batching thread; {@link #cancel()} may be called from anywhere.
 */
final class Sequence implements GenerationHandle {

    final GenerationRequest request;
    final int[] prompt;
    private final TokenListener listener;
    private final Sampler sampler;
    private final TextStream text;       // null without a tokenizer
    private final StopMatcher stops;
    private final int eos;               // -1: none
    private final long acceptedNanos;
    private final CompletableFuture<GenerationResult> future = new CompletableFuture<>();
    private final SerialDelivery delivery = new SerialDelivery();
    private final List<Integer> generated = new ArrayList<>();
    private final StringBuilder output = new StringBuilder();
    private volatile boolean cancelRequested;

    SequenceState state = SequenceState.QUEUED;
    KvCache cache;
    int prefilled;     // prompt tokens already in the cache
    private long firstTokenNanos;

    Sequence(GenerationRequest request, int[] prompt, TokenListener listener, Sampler sampler, TextStream text, int eos,
            long acceptedNanos) {
        this.request = request;
        this.prompt = prompt;
        this.listener = listener;
        this.sampler = sampler;
        this.text = text;
        this.stops = new StopMatcher(request.stop());
        this.eos = eos;
        this.acceptedNanos = acceptedNanos;
        for (int t : prompt) {
            sampler.observe(t);
        }
        future.whenComplete((r, e) -> {
            if (e instanceof CancellationException) {
                cancelRequested = true;
            }
        });
    }

    @Override
    public CompletableFuture<GenerationResult> result() {
        return future;
    }

    @Override
    public void cancel() {
        cancelRequested = true;
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void moveTo(SequenceState next) {
        state = state.moveTo(next);
    }

    /** The token fed to the next decode step. */
    int lastToken() {
        return generated.getLast();
    }

    /**
     * Samples from the logits of the last position, records and streams the token.
     *
     * @return the reason generation ends here, or null to go on
     */
    FinishReason accept(float[] logits, long nowNanos) {
        int token = sampler.next(logits);
        sampler.observe(token);
        generated.add(token);
        if (generated.size() == 1) {
            firstTokenNanos = nowNanos;
        }
        boolean eosHit = token == eos && request.stopAtEos();
        String delta = "";
        if (text != null && !eosHit) {
            delta = stops.push(text.push(token));
        }
        FinishReason reason = eosHit || stops.stopped() ? FinishReason.STOP
                : generated.size() >= request.maxTokens() || cache.length() >= cache.capacity() ? FinishReason.LENGTH
                : null;
        if (reason != null && text != null && !stops.stopped()) {
            delta = delta + stops.push(text.finish()) + stops.flush();
        }
        deliver(token, delta);
        return reason;
    }

    private void deliver(int token, String delta) {
        output.append(delta);
        delivery.post(() -> {
            if (cancelRequested && future.isDone()) {
                return;
            }
            try {
                listener.onToken(token, delta);
            } catch (RuntimeException e) {
                cancelRequested = true; // a failing listener ends its own request, nothing else
            }
        });
    }

    /** Ends the request; the caller releases the cache. */
    void finish(FinishReason reason, long nowNanos) {
        moveTo(SequenceState.FINISHED);
        GenerationResult r = new GenerationResult(
                text == null ? null : output.toString(),
                generated,
                reason,
                prompt.length,
                generated.size(),
                Duration.ofNanos((firstTokenNanos == 0 ? nowNanos : firstTokenNanos) - acceptedNanos),
                Duration.ofNanos(nowNanos - acceptedNanos));
        delivery.post(() -> future.complete(r));
    }

    void fail(Throwable error) {
        state = SequenceState.FINISHED;
        delivery.post(() -> future.completeExceptionally(error));
    }
}
