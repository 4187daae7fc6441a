package dev.switchboard.gptj.internal.cli;

import dev.switchboard.gptj.GenerationRequest;
import dev.switchboard.gptj.GenerationResult;
import dev.switchboard.gptj.GptjEngine;
import dev.switchboard.gptj.Sampling;
import dev.switchboard.gptj.TokenListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Continues a prompt. Prints the generated text (or, without a tokenizer, the generated ids comma-separated); --json prints one JSON object; --stream prints as tokens arrive.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptInput prompt;

    static final class PromptInput {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text (needs a tokenizer).")
        String text;

        @Option(names = "--ids", split = ",", paramLabel = "1,2,3", description = "Prompt token ids.")
        List<Integer> ids;
    }

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "16",
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
            description = "0 = greedy (argmax, the default); otherwise sample at this temperature.")
    double temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Sample from the K most likely tokens (0 = off).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1", description = "Nucleus sampling threshold (1 = off).")
    double topP;

    @Option(names = "--repetition-penalty", paramLabel = "R", defaultValue = "1",
            description = "HF repetition penalty for tokens already in the sequence (1 = off).")
    double repetitionPenalty;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed; the same seed gives the same tokens.")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when the text reaches TEXT (not included). Repeatable.")
    List<String> stop;

    @Option(names = "--ignore-eos", description = "Keep going after the end-of-sequence token.")
    boolean ignoreEos;

    @Option(names = "--stream", description = "Print text as it is generated (with --json: one JSON line per token).")
    boolean stream;

    @Option(names = "--json", description = "Print {\"text\", \"ids\", \"finish_reason\", \"prompt_tokens\", \"completion_tokens\", ...}.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Sampling sampling = new Sampling(temperature, topK, topP, repetitionPenalty, seed);
        GenerationRequest.Prompt p = prompt.text != null ? new GenerationRequest.Prompt.Text(prompt.text)
                : new GenerationRequest.Prompt.Tokens(prompt.ids);
        GenerationRequest request = new GenerationRequest(p, maxTokens, sampling, stop, !ignoreEos);
        try (GptjEngine engine = GptjEngine.load(model.model, model.engineOptions(1))) {
            boolean[] first = {true};
            TokenListener listener = !stream ? TokenListener.NONE : json
                    ? (id, delta) -> out.println(Json.write(Map.of("id", id, "text", delta)))
                    : (id, delta) -> {
                        out.print(engine.hasTokenizer() ? delta : (first[0] ? "" : ",") + id);
                        first[0] = false;
                        out.flush();
                    };
            GenerationResult r = engine.generate(request, listener);
            if (json) {
                out.println(Json.write(toJson(r)));
            } else if (stream) {
                out.println();
            } else {
                out.println(r.text() != null ? r.text()
                        : r.tokenIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
            out.flush();
        }
        return 0;
    }

    static Map<String, Object> toJson(GenerationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", r.text());
        m.put("ids", r.tokenIds());
        m.put("finish_reason", r.finishReason().wireName());
        m.put("prompt_tokens", r.promptTokens());
        m.put("completion_tokens", r.completionTokens());
        m.put("time_to_first_token_ms", r.timeToFirstToken().toNanos() / 1e6);
        m.put("total_ms", r.total().toNanos() / 1e6);
        return m;
    }
}
