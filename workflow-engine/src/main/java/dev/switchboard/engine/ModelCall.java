package dev.switchboard.engine;

import java.util.List;

/**
 * One model request from an {@code ai} node, with templates already rendered.
 *
 * @param models   fallback chain of {@code provider/model} refs, tried in order (never empty)
 * @param prompt   completion-style prompt; exactly one of {@code prompt} and {@code messages} is set
 * @param messages chat messages
 * @param maxTokens, temperature, topP, topK, stop, seed sampling options; null = provider default
 */
public record ModelCall(List<String> models, String prompt, List<ChatMessage> messages, Integer maxTokens,
                        Double temperature, Double topP, Integer topK, List<String> stop, Long seed) {

    public ModelCall {
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("models must name at least one provider/model");
        }
        models = List.copyOf(models);
        if ((prompt == null) == (messages == null)) {
            throw new IllegalArgumentException("exactly one of prompt and messages must be set");
        }
        messages = messages == null ? null : List.copyOf(messages);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static ModelCall prompt(String model, String prompt) {
        return new ModelCall(List.of(model), prompt, null, null, null, null, null, null, null);
    }

    public static ModelCall chat(String model, List<ChatMessage> messages) {
        return new ModelCall(List.of(model), null, messages, null, null, null, null, null, null);
    }

    /** The first (preferred) model of the chain. */
    public String model() {
        return models.getFirst();
    }

    public boolean isChat() {
        return messages != null;
    }
}
