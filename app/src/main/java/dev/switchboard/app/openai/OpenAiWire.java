package dev.switchboard.app.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.gateway.ModelResponse;
import java.util.List;

/**
 * The JSON objects of OpenAI's API, exactly as OpenAI's SDKs read them ({@code chat.completion},
 * {@code chat.completion.chunk}, {@code text_completion}, {@code list} of {@code model}).
 */
final class OpenAiWire {

    private OpenAiWire() {
    }

    record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                 @JsonProperty("completion_tokens") int completionTokens,
                 @JsonProperty("total_tokens") int totalTokens) {

        static Usage of(ModelResponse response) {
            return new Usage(response.usage().inputTokens(), response.usage().outputTokens(),
                    response.usage().totalTokens());
        }
    }

    // ------------------------------------------------------------------ chat

    record ChatCompletion(String id, String object, long created, String model, List<ChatChoice> choices, Usage usage,
                          @JsonProperty("system_fingerprint") String systemFingerprint) {

        static ChatCompletion of(String id, long created, ModelResponse response) {
            return new ChatCompletion(id, "chat.completion", created, response.modelRef(),
                    List.of(new ChatChoice(0, new AssistantMessage("assistant", response.text(), null),
                            response.finishReason().wireName(), null)),
                    Usage.of(response), null);
        }
    }

    record ChatChoice(int index, AssistantMessage message, @JsonProperty("finish_reason") String finishReason,
                      Object logprobs) {
    }

    record AssistantMessage(String role, String content, String refusal) {
    }

    /** One streamed chunk; {@code usage} only on the final usage chunk ({@code stream_options.include_usage}). */
    record ChatChunk(String id, String object, long created, String model, List<ChunkChoice> choices,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

        static ChatChunk delta(String id, long created, String model, Delta delta) {
            return new ChatChunk(id, "chat.completion.chunk", created, model, List.of(new ChunkChoice(0, delta, null, null)),
                    null);
        }

        static ChatChunk finish(String id, long created, String model, String finishReason) {
            return new ChatChunk(id, "chat.completion.chunk", created, model,
                    List.of(new ChunkChoice(0, new Delta(null, null), finishReason, null)), null);
        }

        static ChatChunk usage(String id, long created, String model, Usage usage) {
            return new ChatChunk(id, "chat.completion.chunk", created, model, List.of(), usage);
        }
    }

    record ChunkChoice(int index, Delta delta, @JsonProperty("finish_reason") String finishReason, Object logprobs) {
    }

    /** What a chunk adds: the role (first chunk only) and/or text. Absent members are left out, as OpenAI does. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Delta(String role, String content) {
    }

    // ------------------------------------------------------------------ legacy completions

    record TextCompletion(String id, String object, long created, String model, List<TextChoice> choices,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage) {

        static TextCompletion of(String id, long created, ModelResponse response) {
            return new TextCompletion(id, "text_completion", created, response.modelRef(),
                    List.of(new TextChoice(response.text(), 0, null, response.finishReason().wireName())),
                    Usage.of(response));
        }

        static TextCompletion chunk(String id, long created, String model, String text, String finishReason) {
            return new TextCompletion(id, "text_completion", created, model,
                    List.of(new TextChoice(text, 0, null, finishReason)), null);
        }

        static TextCompletion usageChunk(String id, long created, String model, Usage usage) {
            return new TextCompletion(id, "text_completion", created, model, List.of(), usage);
        }
    }

    record TextChoice(String text, int index, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    // ------------------------------------------------------------------ models

    record ModelList(String object, List<ModelEntry> data) {
    }

    record ModelEntry(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {

        static ModelEntry of(String id, String provider) {
            return new ModelEntry(id, "model", 0, provider);
        }
    }
}
