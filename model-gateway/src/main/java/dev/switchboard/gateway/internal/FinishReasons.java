package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.FinishReason;
import java.util.Locale;

/** Normalizes every provider's finish/stop reason names. */
public final class FinishReasons {

    private FinishReasons() {
    }

    /**
     * Maps a provider's reason: OpenAI ({@code stop, length, content_filter, tool_calls, function_call}), Anthropic
     * ({@code end_turn, stop_sequence, max_tokens, tool_use, refusal}), Cohere ({@code COMPLETE, STOP_SEQUENCE,
     * MAX_TOKENS, TOOL_CALL, ERROR, ERROR_TOXIC}), AI21 ({@code endoftext, length}). Null or unknown: {@code STOP}.
     */
    public static FinishReason normalize(String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason.toLowerCase(Locale.ROOT)) {
            case "length", "max_tokens", "model_length", "max_output_tokens" -> FinishReason.LENGTH;
            case "content_filter", "refusal", "error_toxic", "safety" -> FinishReason.CONTENT_FILTER;
            case "tool_calls", "function_call", "tool_use", "tool_call" -> FinishReason.TOOL_CALLS;
            case "error", "error_limit" -> FinishReason.ERROR;
            default -> FinishReason.STOP;
        };
    }
}
