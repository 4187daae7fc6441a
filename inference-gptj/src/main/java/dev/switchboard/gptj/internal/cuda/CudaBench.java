package dev.switchboard.gptj.internal.cuda;

import dev.switchboard.gptj.Device;
import dev.switchboard.gptj.EngineOptions;
import dev.switchboard.gptj.LoadListener;
import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GPU side of bench/gpu.sh: loads a checkpoint onto the GPU and prints one line per measurement,
 * {@code RESULT {json}}, in the format of bench/hf_gpu_bench.py so the two can be tabled together.
 *
 * <pre>
 * CudaBench --model DIR [--cells 50x50,200x100,...] [--batch 16x200x100] [--ttft 1000]
 *           [--repeat N] [--profile POSITION] [--engine-cells 200x100]
 * </pre>
 * Prompts are the deterministic ids of hf_gpu_bench.prompt_ids. Cells run greedy with the argmax on the
 * device (graph replays back to back); --engine-cells also runs cells through the engine's backend
 * interface (logits to the host every token), the path `bin/gptj generate` takes.
 */
public final class CudaBench {
    private CudaBench() {}

    static int[] promptIds(int n, int row) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (int) (((long) i * 7919 + 13 + row * 101L) % 50257);
        }
        return ids;
    }

    private static void result(String json) {
        System.out.println("RESULT {" + json + "}");
        System.out.flush();
    }

    private static List<int[]> cells(String spec) {
        List<int[]> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String c : spec.split(",")) {
            String[] p = c.split("x");
            int[] v = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                v[i] = Integer.parseInt(p[i].trim());
            }
            out.add(v);
        }
        return out;
    }

    public static void main(String[] args) {
        String model = null, cellSpec = "", batch = "", engineCells = "";
        int ttft = 0, repeat = 1, profile = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--cells" -> cellSpec = args[++i];
                case "--batch" -> batch = args[++i];
                case "--ttft" -> ttft = Integer.parseInt(args[++i]);
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--profile" -> profile = Integer.parseInt(args[++i]);
                case "--engine-cells" -> engineCells = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("--model DIR is required");
        }
        int slots = batch.isBlank() ? 1 : cells(batch).get(0)[0];
        long t0 = System.nanoTime();
        EngineOptions options = EngineOptions.defaults().withDevice(Device.CUDA).withThreads(1)
                .withMaxBatchSize(Math.max(1, slots)).withPrefillChunk(1024).withListener(new LoadListener() {
                    @Override
                    public void progress(String stage, long done, long total) {
                    }

                    @Override
                    public void note(String message) {
                        System.out.println("note: " + message);
                    }
                });
        try (LoadedModel loaded = LoadedModel.open(Path.of(model), options)) {
            CudaBackend backend = (CudaBackend) loaded.backend();
            GptjDevice dev = backend.device();
            result(String.format(Locale.ROOT, "\"kind\":\"ours-info\",\"gpu\":\"%s\",\"load_s\":%.1f,\"describe\":\"%s\"",
                    dev.context().deviceName(), (System.nanoTime() - t0) / 1e9, backend.describe()));
            if (profile >= 0) {
                DecodeProfile p = new DecodeProfile(dev);
                Map<String, String> r = p.run(profile);
                p.close();
                StringBuilder sb = new StringBuilder("\"kind\":\"ours-profile\"");
                r.forEach((key, v) -> sb.append(",\"").append(key).append("\":").append(v));
                result(sb.toString());
            }
            List<int[]> grid = cells(cellSpec);
            grid.sort((a, b) -> Integer.compare(b[0] + b[1], a[0] + a[1]));
            try (CudaKvCache cache = (CudaKvCache) backend.newCache(dev.plan().maxPos())) {
                for (int[] cell : grid) {
                    int[] prompt = promptIds(cell[0], 0);
                    dev.greedy(cache.slot, prompt, cell[1], -1);  // warm-up (and graph capture)
                    double best = Double.MAX_VALUE;
                    GptjDevice.GreedyRun run = null;
                    for (int r = 0; r < repeat; r++) {
                        run = dev.greedy(cache.slot, prompt, cell[1], -1);
                        best = Math.min(best, run.totalNanos() / 1e9);
                    }
                    result(String.format(Locale.ROOT,
                            "\"kind\":\"ours\",\"mode\":\"graph\",\"batch\":1,\"input\":%d,\"output\":%d,\"made\":%d,"
                                    + "\"s\":%.4f,\"tok_s\":%.2f,\"ttft_ms\":%.2f,\"first_tokens\":%s",
                            cell[0], cell[1], run.tokens().length, best, run.tokens().length / best,
                            run.firstTokenNanos() / 1e6, head(run.tokens())));
                }
                if (ttft > 0) {
                    int[] prompt = promptIds(ttft, 0);
                    dev.greedy(cache.slot, prompt, 1, -1);
                    double best = Double.MAX_VALUE;
                    for (int r = 0; r < 3; r++) {
                        best = Math.min(best, dev.greedy(cache.slot, prompt, 1, -1).totalNanos() / 1e6);
                    }
                    result(String.format(Locale.ROOT, "\"kind\":\"ours-ttft\",\"mode\":\"graph\",\"input\":%d,\"ms\":%.2f",
                            ttft, best));
                }
            }
            for (int[] cell : cells(engineCells)) {
                result(engineCell(backend, cell[0], cell[1]));
            }
            if (!batch.isBlank()) {
                int[] bc = cells(batch).get(0);
                result(batchCell(backend, bc[0], bc[1], bc[2]));
            }
        }
    }

    /** A cell through ForwardBackend.forward, the argmax on the host, as the engine does per token. */
    private static String engineCell(ForwardBackend backend, int in, int out) {
        int vocab = backend.config().vocabSize();
        double best = Double.MAX_VALUE;
        int[] tokens = new int[out];
        for (int r = 0; r < 2; r++) {
            long t0 = System.nanoTime();
            try (KvCache cache = backend.newCache(in + out)) {
                float[] logits = backend.forward(List.of(SequenceChunk.last(cache, promptIds(in, 0))))[0];
                for (int t = 0; t < out; t++) {
                    tokens[t] = argmax(logits, vocab);
                    if (t + 1 < out) {
                        logits = backend.forward(List.of(SequenceChunk.generated(cache, tokens[t])))[0];
                    }
                }
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return String.format(Locale.ROOT, "\"kind\":\"ours\",\"mode\":\"engine\",\"batch\":1,\"input\":%d,\"output\":%d,"
                + "\"made\":%d,\"s\":%.4f,\"tok_s\":%.2f,\"first_tokens\":%s", in, out, out, best, out / best, head(tokens));
    }

    private static String batchCell(CudaBackend backend, int rows, int in, int out) {
        GptjDevice dev = backend.device();
        List<CudaKvCache> caches = new ArrayList<>();
        try {
            int[] slots = new int[rows];
            int[][] prompts = new int[rows][];
            for (int i = 0; i < rows; i++) {
                CudaKvCache c = (CudaKvCache) backend.newCache(in + out);
                caches.add(c);
                slots[i] = c.slot;
                prompts[i] = promptIds(in, i);
            }
            dev.greedyBatch(slots, prompts, out);  // warm-up
            long t0 = System.nanoTime();
            int[][] got = dev.greedyBatch(slots, prompts, out);
            double s = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "\"kind\":\"ours\",\"mode\":\"batched\",\"batch\":%d,\"input\":%d,"
                    + "\"output\":%d,\"made\":%d,\"s\":%.4f,\"tok_s\":%.2f,\"first_tokens\":%s", rows, in, out,
                    rows * got[0].length, s, rows * got[0].length / s, head(got[0]));
        } finally {
            caches.forEach(CudaKvCache::close);
        }
    }

    private static int argmax(float[] a, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }

    private static String head(int[] tokens) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(8, tokens.length); i++) {
            sb.append(i == 0 ? "" : ",").append(tokens[i]);
        }
        return sb.append("]").toString();
    }
}
