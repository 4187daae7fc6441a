package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.internal.backend.ForwardBackend;
import dev.switchboard.gptj.internal.backend.KvCache;
import dev.switchboard.gptj.internal.backend.SequenceChunk;
import dev.switchboard.gptj.internal.generate.PromptCheck;
import dev.switchboard.gptj.internal.model.LoadedModel;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "logits", mixinStandardHelpOptions = true,
        description = "Runs the model over token ids and prints {\"last\":[logits of the final position], \"argmax\":[argmax of the logits at every position]}.")
final class LogitsCommand implements Callable<Integer> {

    /** Prompt tokens per forward pass, so long inputs need bounded memory. */
    private static final int CHUNK = 512;

    @Mixin
    ModelOptions model;

    @Option(names = "--ids", split = ",", required = true, paramLabel = "1,2,3", description = "Input token ids.")
    List<Integer> ids;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (LoadedModel m = LoadedModel.open(model.model, model.engineOptions(1))) {
            ForwardBackend b = m.backend();
            int[] tokens = PromptCheck.check(ids.stream().mapToInt(Integer::intValue).toArray(), b.config());
            int vocab = b.config().vocabSize();
            int[] argmax = new int[tokens.length];
            float[] last = null;
            try (KvCache cache = b.newCache(tokens.length)) {
                for (int start = 0; start < tokens.length; start += CHUNK) {
                    int end = Math.min(tokens.length, start + CHUNK);
                    float[] logits = b.forward(List.of(SequenceChunk.all(cache, Arrays.copyOfRange(tokens, start, end))))[0];
                    for (int p = start; p < end; p++) {
                        argmax[p] = argmax(logits, (p - start) * vocab, vocab);
                    }
                    if (end == tokens.length) {
                        last = Arrays.copyOfRange(logits, (end - 1 - start) * vocab, (end - start) * vocab);
                    }
                }
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("last", last);
            json.put("argmax", argmax);
            out.println(Json.write(json));
            out.flush();
        }
        return 0;
    }

    private static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
