package dev.switchboard.gateway;

import java.util.Locale;

/** Why generation stopped, normalized across providers. */
public enum FinishReason {
    /** Natural end or a stop sequence. */
    STOP,
    /** {@code maxTokens} (or the model's context) was reached. */
    LENGTH,
    /** The provider withheld or cut the output for safety reasons. */
    CONTENT_FILTER,
    /** The model asked to call a tool. */
    TOOL_CALLS,
    /** The provider reported an error as the finish reason. */
    ERROR;

    /** The OpenAI-style wire name ({@code stop}, {@code length}, ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
