package dev.switchboard.gateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One model call: chat ({@code messages}) or text completion ({@code prompt}), exactly one of the two.
 *
 * <p>Validated eagerly: an invalid value throws {@link GatewayException.InvalidRequest} whose
 * {@link GatewayException.InvalidRequest#field() field} names it (the record component name).
 *
 * @param models      model refs {@code provider/model}: the first is asked first, the rest form the fallback
 *                    chain (tried in order on retriable errors and on context-length errors)
 * @param messages    chat messages, or null for a completion request
 * @param prompt      completion prompt, or null for a chat request. Providers without a completion API get it
 *                    as one user message
 * @param maxTokens   maximum tokens to generate (null: provider default; Anthropic requires one, so the gateway
 *                    sends its configured default there)
 * @param temperature 0..2, null for the provider default. Exactly 0 makes the request cacheable
 * @param topP        0..1
 * @param topK        ≥ 1; dropped for providers that have no top-k (OpenAI)
 * @param stop        stop sequences (≤ 16, none empty)
 * @param seed        sampling seed where the provider supports one
 * @param stream      ask the provider for a stream. {@link ModelGateway#stream} always streams; {@link
 *                    ModelGateway#call} streams when this is set and returns the aggregated response
 * @param user        end-user id forwarded for abuse monitoring where supported
 */
public record ModelRequest(List<String> models, List<ChatMessage> messages, String prompt, Integer maxTokens,
                           Double temperature, Double topP, Integer topK, List<String> stop, Long seed,
                           boolean stream, String user) {

    private static final int MAX_STOP_SEQUENCES = 16;

    public ModelRequest {
        models = validateModels(models);
        if ((messages == null) == (prompt == null)) {
            throw new GatewayException.InvalidRequest(messages == null ? "messages" : "prompt",
                    "exactly one of messages and prompt must be given");
        }
        if (messages != null) {
            if (messages.isEmpty()) {
                throw new GatewayException.InvalidRequest("messages", "messages must not be empty");
            }
            for (int i = 0; i < messages.size(); i++) {
                if (messages.get(i) == null) {
                    throw new GatewayException.InvalidRequest("messages[" + i + "]", "messages[" + i + "] must not be null");
                }
            }
            messages = List.copyOf(messages);
        }
        if (maxTokens != null && maxTokens < 1) {
            throw new GatewayException.InvalidRequest("maxTokens", "maxTokens must be >= 1 (was " + maxTokens + ")");
        }
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) {
            throw new GatewayException.InvalidRequest("temperature", "temperature must be between 0 and 2 (was " + temperature + ")");
        }
        if (topP != null && !(topP >= 0 && topP <= 1)) {
            throw new GatewayException.InvalidRequest("topP", "topP must be between 0 and 1 (was " + topP + ")");
        }
        if (topK != null && topK < 1) {
            throw new GatewayException.InvalidRequest("topK", "topK must be >= 1 (was " + topK + ")");
        }
        stop = validateStop(stop);
        if (user != null && user.length() > 256) {
            throw new GatewayException.InvalidRequest("user", "user must be at most 256 characters");
        }
    }

    private static List<String> validateModels(List<String> models) {
        if (models == null || models.isEmpty()) {
            throw new GatewayException.InvalidRequest("model", "model must be given (a provider/model reference)");
        }
        for (int i = 0; i < models.size(); i++) {
            String ref = models.get(i);
            if (ref == null || ref.isBlank()) {
                throw new GatewayException.InvalidRequest(i == 0 ? "model" : "models[" + i + "]",
                        "model reference must not be blank");
            }
        }
        return List.copyOf(models);
    }

    private static List<String> validateStop(List<String> stop) {
        if (stop == null) {
            return List.of();
        }
        if (stop.size() > MAX_STOP_SEQUENCES) {
            throw new GatewayException.InvalidRequest("stop", "stop allows at most " + MAX_STOP_SEQUENCES + " sequences");
        }
        for (String s : stop) {
            if (s == null || s.isEmpty()) {
                throw new GatewayException.InvalidRequest("stop", "stop sequences must not be empty");
            }
        }
        return List.copyOf(stop);
    }

    /** A chat request for one model. */
    public static ModelRequest chat(String model, ChatMessage... messages) {
        return builder().model(model).messages(Arrays.asList(messages)).build();
    }

    /** A completion request for one model. */
    public static ModelRequest completion(String model, String prompt) {
        return builder().model(model).prompt(prompt).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The first model ref asked. */
    public String model() {
        return models.getFirst();
    }

    public boolean isChat() {
        return messages != null;
    }

    /** The chat messages, with a completion prompt turned into one user message. */
    public List<ChatMessage> messagesOrPrompt() {
        return messages != null ? messages : List.of(ChatMessage.user(prompt));
    }

    /** The same request with the given stream flag. */
    public ModelRequest withStream(boolean newStream) {
        return newStream == stream ? this : toBuilder().stream(newStream).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.models = new ArrayList<>(models);
        b.messages = messages;
        b.prompt = prompt;
        b.maxTokens = maxTokens;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.stop = stop;
        b.seed = seed;
        b.stream = stream;
        b.user = user;
        return b;
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private List<String> models = new ArrayList<>();
        private List<ChatMessage> messages;
        private String prompt;
        private Integer maxTokens;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private List<String> stop;
        private Long seed;
        private boolean stream;
        private String user;

        private Builder() {
        }

        /** Sets the primary model ref, keeping fallbacks already given. */
        public Builder model(String ref) {
            if (models.isEmpty()) {
                models.add(ref);
            } else {
                models.set(0, ref);
            }
            return this;
        }

        /** Sets the whole chain: primary first, then fallbacks. */
        public Builder models(List<String> refs) {
            models = new ArrayList<>(refs == null ? List.of() : refs);
            return this;
        }

        /** Appends fallback refs after the primary. */
        public Builder fallbacks(String... refs) {
            models.addAll(Arrays.asList(refs));
            return this;
        }

        public Builder messages(List<ChatMessage> value) { this.messages = value; return this; }
        public Builder prompt(String value) { this.prompt = value; return this; }
        public Builder maxTokens(Integer value) { this.maxTokens = value; return this; }
        public Builder temperature(Double value) { this.temperature = value; return this; }
        public Builder topP(Double value) { this.topP = value; return this; }
        public Builder topK(Integer value) { this.topK = value; return this; }
        public Builder stop(List<String> value) { this.stop = value; return this; }
        public Builder seed(Long value) { this.seed = value; return this; }
        public Builder stream(boolean value) { this.stream = value; return this; }
        public Builder user(String value) { this.user = value; return this; }

        public ModelRequest build() {
            return new ModelRequest(models, messages, prompt, maxTokens, temperature, topP, topK, stop, seed, stream, user);
        }
    }
}
