package dev.switchboard.gptj.internal.bench;

import dev.switchboard.gptj.GenerationHandle;
import dev.switchboard.gptj.GenerationRequest;
import dev.switchboard.gptj.GenerationResult;
import dev.switchboard.gptj.GptjEngine;
import dev.switchboard.gptj.Sampling;
import dev.switchboard.gptj.TokenListener;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * End-to-end generation benchmark through the engine (batcher included): B concurrent requests of
 * random prompt tokens, greedy, EOS ignored so every request generates exactly {@code output} tokens.
 */
public final class Benchmark {

    /** One measured configuration. */
    public record Cell(int input, int output, int batch) {
    }

    /**
     * @param totalMs          wall time from submitting the batch to its last token
     * @param prefillMs        mean time to first token (prompt prefill + first sample, queueing included)
     * @param msPerToken       mean time between a request's tokens after its first
     * @param tokensPerSecond  generated tokens of the batch / wall time (prefill included)
     * @param decodeTokensPerSecond batch / msPerToken: the steady decode rate
     */
    public record Measurement(Cell cell, double totalMs, double prefillMs, double msPerToken, double tokensPerSecond,
            double decodeTokensPerSecond) {
    }

    private final GptjEngine engine;
    private final long seed;

    public Benchmark(GptjEngine engine, long seed) {
        this.engine = engine;
        this.seed = seed;
    }

    /** Compiles the hot code paths with small runs at each batch size before measuring. */
    public void warmUp(List<Integer> batches) {
        int input = Math.max(1, Math.min(32, engine.config().nPositions() / 4));
        for (int b : batches) {
            run(new Cell(input, 4, b));
            run(new Cell(input, 4, b));
        }
    }

    public Measurement run(Cell cell) {
        int maxOutput = engine.config().nPositions() - cell.input();
        if (maxOutput < cell.output()) {
            throw new IllegalArgumentException("input " + cell.input() + " + output " + cell.output()
                    + " exceed the model's n_positions " + engine.config().nPositions());
        }
        SplittableRandom rnd = new SplittableRandom(seed + 31L * cell.input() + cell.batch());
        List<GenerationRequest> requests = new ArrayList<>();
        for (int b = 0; b < cell.batch(); b++) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < cell.input(); i++) {
                ids.add(rnd.nextInt(engine.config().vocabSize()));
            }
            requests.add(GenerationRequest.ofTokens(ids).withMaxTokens(cell.output()).withStopAtEos(false)
                    .withSampling(Sampling.greedy()));
        }
        long t0 = System.nanoTime();
        List<GenerationHandle> handles = new ArrayList<>();
        for (GenerationRequest r : requests) {
            handles.add(engine.submit(r, TokenListener.NONE));
        }
        List<GenerationResult> results = handles.stream().map(h -> h.result().join()).toList();
        long t1 = System.nanoTime();
        double totalMs = (t1 - t0) / 1e6;
        double prefill = results.stream().mapToDouble(r -> r.timeToFirstToken().toNanos() / 1e6).average().orElse(0);
        double perToken = cell.output() < 2 ? 0 : results.stream()
                .mapToDouble(r -> (r.total().toNanos() - r.timeToFirstToken().toNanos()) / 1e6 / (cell.output() - 1))
                .average().orElse(0);
        int generated = results.stream().mapToInt(GenerationResult::completionTokens).sum();
        return new Measurement(cell, totalMs, prefill, perToken, generated / (totalMs / 1000),
                perToken == 0 ? 0 : cell.batch() * 1000 / perToken);
    }
}
