package dev.switchboard.gptj;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of one request.
 *
 * @param text             the generated text, stop sequence removed; null when the engine has no tokenizer
 * @param tokenIds         the generated token ids (an end-of-sequence token that ended it included, as HF {@code generate} returns it)
 * @param finishReason     why it ended
 * @param promptTokens     tokens in the prompt
 * @param completionTokens tokens generated ({@code tokenIds.size()})
 * @param timeToFirstToken from acceptance to the first generated token (queueing and prefill)
 * @param total            from acceptance to the end
 */
public record GenerationResult(
        String text,
        List<Integer> tokenIds,
        FinishReason finishReason,
        int promptTokens,
        int completionTokens,
        Duration timeToFirstToken,
        Duration total) {

    public GenerationResult {
        tokenIds = List.copyOf(tokenIds);
    }
}
