package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.GptjEngine;
import dev.switchboard.gptj.KvCacheFormat;
import dev.switchboard.gptj.internal.bench.BandwidthProbe;
import dev.switchboard.gptj.internal.bench.Benchmark;
import dev.switchboard.gptj.internal.cpu.StepProfile;
import dev.switchboard.gptj.internal.kernel.ComputePool;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures generation speed: B concurrent requests of N random prompt tokens, M greedy tokens each (EOS ignored). Lists in --input/--output/--batch run every combination (a grid) on one load. Reports prefill ms (mean time to first token), ms/token and decode tokens/s once every sequence of the batch decodes (continuous batching's steady state), end-to-end tokens/s (prefill included), and, with the read bandwidth measured in the same run, the fraction of the memory roofline of decoding (batch × bandwidth / weight bytes per step), also for the fastest single step (on a shared machine, the pass least disturbed by other work, like the probe's best pass). A table on stdout, or JSON lines with --json.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--input", split = ",", required = true, paramLabel = "N", description = "Prompt tokens (list allowed).")
    List<Integer> input;

    @Option(names = "--output", split = ",", required = true, paramLabel = "M", description = "Generated tokens (list allowed).")
    List<Integer> output;

    @Option(names = "--batch", split = ",", defaultValue = "1", paramLabel = "B",
            description = "Concurrent requests (list allowed; default: ${DEFAULT-VALUE}).")
    List<Integer> batch;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the random prompts.")
    long seed;

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Run each configuration N times and report the fastest (for machines shared with other work; default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--no-bandwidth", description = "Skip the memory bandwidth probe (and the roofline columns).")
    boolean noBandwidth;

    @Option(names = "--json", description = "One JSON object per measurement instead of a table.")
    boolean json;

    @Option(names = "--profile", description = "Also report where a step's time goes (CPU backend): mean ms per step "
            + "of q/k/v + fc_in, attention, out + fc_out, ln_f + lm_head and the rest, over the steps in which every sequence "
            + "decodes and, apart, over the prefill steps (two comment lines under each table row; \"step_ms\" and "
            + "\"prefill_step_ms\" in JSON).")
    boolean profile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int maxBatch = batch.stream().mapToInt(Integer::intValue).max().orElse(1);
        StepProfile.enable(profile);
        try (GptjEngine engine = GptjEngine.load(model.model, model.engineOptions(maxBatch))) {
            int threads = model.engineOptions(maxBatch).threads();
            double bandwidth = noBandwidth ? 0 : probe(threads);
            long bytesPerStep = engine.weightBytesPerStep();
            String header = String.format(Locale.ROOT, "# %s; %.3f B params; weights read per step %.3f GB%s",
                    engine.describe(), engine.config().parameterCount() / 1e9, bytesPerStep / 1e9,
                    noBandwidth ? "" : String.format(Locale.ROOT, "; read bandwidth %.1f GB/s (%d threads)", bandwidth / 1e9, threads));
            System.err.println(header);
            Benchmark bench = new Benchmark(engine, seed);
            System.err.println("warming up ...");
            bench.warmUp(batch);
            if (!json) {
                out.println(header);
                out.println("| batch | input | output | prefill ms | ms/token | tok/s (e2e) | tok/s (decode) | roofline tok/s "
                        + "| of roofline | fastest step ms | of roofline (fastest step) |");
                out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            }
            for (int b : batch) {
                for (int in : input) {
                    for (int o : output) {
                        StepProfile.reset();
                        Benchmark.Measurement m = bench.best(new Benchmark.Cell(in, o, b), repeat);
                        double roof = bandwidth == 0 ? 0 : b * bandwidth / bytesPerStep;
                        print(out, m, roof, threads);
                    }
                }
            }
        } finally {
            StepProfile.enable(false);
        }
        return 0;
    }

    private double probe(int threads) {
        System.err.println("measuring read bandwidth ...");
        try (ComputePool pool = new ComputePool(threads)) {
            return BandwidthProbe.measure(pool, 1L << 30, 7 * Math.max(1, repeat)).bytesPerSecond();
        }
    }

    private void print(PrintWriter out, Benchmark.Measurement m, double roof, int threads) {
        Benchmark.Cell c = m.cell();
        double fraction = roof == 0 ? 0 : m.decodeTokensPerSecond() / roof;
        // the fastest step against the probe's best pass: both the least disturbed pass over the memory
        double stepRate = m.fastestStepMs() == 0 ? 0 : c.batch() * 1000 / m.fastestStepMs();
        double stepFraction = roof == 0 ? 0 : stepRate / roof;
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("batch", c.batch());
            j.put("input", c.input());
            j.put("output", c.output());
            j.put("threads", threads);
            j.put("int8", model.int8);
            j.put("int8_activations", model.int8Activations);
            j.put("kv_cache", KvCacheFormat.parse(model.kvCache).toString());
            j.put("prefill_ms", round(m.prefillMs()));
            j.put("ms_per_token", round(m.msPerToken()));
            j.put("tokens_per_s", round(m.tokensPerSecond()));
            j.put("decode_tokens_per_s", round(m.decodeTokensPerSecond()));
            j.put("total_ms", round(m.totalMs()));
            j.put("fastest_step_ms", round(m.fastestStepMs()));
            if (profile) {
                for (StepProfile.Kind kind : StepProfile.Kind.values()) {
                    if (StepProfile.steps(kind) > 0) {
                        Map<String, Object> phases = new LinkedHashMap<>();
                        StepProfile.snapshot(kind).forEach((p, ms) -> phases.put(p.name().toLowerCase(Locale.ROOT), round(ms)));
                        j.put(kind == StepProfile.Kind.DECODE ? "step_ms" : "prefill_step_ms", phases);
                    }
                }
            }
            if (roof > 0) {
                j.put("roofline_tokens_per_s", round(roof));
                j.put("roofline_fraction", Math.round(fraction * 1000) / 1000.0);
                j.put("fastest_step_roofline_fraction", Math.round(stepFraction * 1000) / 1000.0);
            }
            out.println(Json.write(j));
        } else {
            out.println(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %.2f | %.2f | %.2f | %s | %s | %.2f | %s |",
                    c.batch(), c.input(), c.output(), m.prefillMs(), m.msPerToken(), m.tokensPerSecond(),
                    m.decodeTokensPerSecond(), roof == 0 ? "-" : String.format(Locale.ROOT, "%.2f", roof),
                    roof == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", fraction * 100), m.fastestStepMs(),
                    roof == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", stepFraction * 100)));
            if (profile) {
                out.println(profileLine(StepProfile.Kind.DECODE));
                out.println(profileLine(StepProfile.Kind.PREFILL));
            }
        }
        out.flush();
    }

    /** {@code # decode step ...} / {@code # prefill step ...}: the mean ms per step of each phase and its share, or why there is none. */
    private static String profileLine(StepProfile.Kind kind) {
        Map<StepProfile.Phase, Double> steps = StepProfile.snapshot(kind);
        String name = kind == StepProfile.Kind.DECODE ? "decode" : "prefill";
        if (steps.isEmpty()) {
            return "# " + name + " step: not profiled (no step in which " + (kind == StepProfile.Kind.DECODE
                    ? "every sequence decoded" : "only prompts were read") + ", or not the CPU backend)";
        }
        double total = steps.values().stream().mapToDouble(Double::doubleValue).sum();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "# %s step %.2f ms (mean of %d):", name, total,
                StepProfile.steps(kind)));
        steps.forEach((p, ms) -> b.append(String.format(Locale.ROOT, " %s %.2f ms (%.0f%%);", p.label(), ms, 100 * ms / total)));
        b.setLength(b.length() - 1);
        return b.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
