package dev.switchboard.gptj;

import java.util.List;

/**
 * One completion to generate.
 *
 * @param prompt     text (tokenized by the engine) or token ids
 * @param maxTokens  the most tokens to generate (≥ 1); generation also ends when the context window is full
 * @param sampling   how tokens are chosen
 * @param stop       strings that end the generation when the text reaches one; the stop string itself is not returned
 * @param stopAtEos  end at the model's end-of-sequence token (the default); off for benchmarks
 */
public record GenerationRequest(Prompt prompt, int maxTokens, Sampling sampling, List<String> stop, boolean stopAtEos) {

    public GenerationRequest {
        if (prompt == null) {
            throw new IllegalArgumentException("prompt must be given");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be ≥ 1, got " + maxTokens);
        }
        if (sampling == null) {
            throw new IllegalArgumentException("sampling must be given (Sampling.greedy() for argmax)");
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop sequences must not be empty");
            }
        }
    }

    /** Greedy completion of {@code text}, at most 16 tokens; adjust with the {@code with…} methods. */
    public static GenerationRequest of(String text) {
        return new GenerationRequest(new Prompt.Text(text), 16, Sampling.greedy(), List.of(), true);
    }

    /** Greedy completion of the given token ids, at most 16 tokens. */
    public static GenerationRequest ofTokens(List<Integer> ids) {
        return new GenerationRequest(new Prompt.Tokens(ids), 16, Sampling.greedy(), List.of(), true);
    }

    public GenerationRequest withMaxTokens(int n) {
        return new GenerationRequest(prompt, n, sampling, stop, stopAtEos);
    }

    public GenerationRequest withSampling(Sampling s) {
        return new GenerationRequest(prompt, maxTokens, s, stop, stopAtEos);
    }

    public GenerationRequest withStop(List<String> s) {
        return new GenerationRequest(prompt, maxTokens, sampling, s, stopAtEos);
    }

    public GenerationRequest withStopAtEos(boolean b) {
        return new GenerationRequest(prompt, maxTokens, sampling, stop, b);
    }

    /** What to complete. */
    public sealed interface Prompt {

        /** Text, tokenized as HF does for GPT-J (no special tokens added). */
        record Text(String text) implements Prompt {
            public Text {
                if (text == null) {
                    throw new IllegalArgumentException("prompt text must not be null");
                }
            }
        }

        /** Token ids, used as given. */
        record Tokens(List<Integer> ids) implements Prompt {
            public Tokens {
                ids = List.copyOf(ids);
            }
        }
    }
}
