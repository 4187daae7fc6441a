package dev.switchboard.gptj.internal.generate;

import dev.switchboard.gptj.GptjConfig;
import dev.switchboard.gptj.InvalidRequestException;

/** What a prompt must satisfy before it reaches the model. */
public final class PromptCheck {

    private PromptCheck() {
    }

    /** Returns {@code ids} if the model can take them. @throws InvalidRequestException naming the limit */
    public static int[] check(int[] ids, GptjConfig config) {
        if (ids.length == 0) {
            throw new InvalidRequestException("prompt is empty: GPT-J needs at least one token to continue from");
        }
        if (ids.length > config.nPositions()) {
            throw new InvalidRequestException("prompt has " + ids.length + " tokens but the model's context window (n_positions) is "
                    + config.nPositions());
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= config.vocabSize()) {
                throw new InvalidRequestException("token id " + ids[i] + " at prompt position " + i + " is out of range: "
                        + "the model's vocabulary (vocab_size) has ids 0.." + (config.vocabSize() - 1));
            }
        }
        return ids;
    }
}
