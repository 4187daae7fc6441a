package dev.switchboard.gptj;

/** Why a generation ended. */
public enum FinishReason {
    /** The model produced its end-of-sequence token or the text reached a stop sequence. */
    STOP("stop"),
    /** {@code maxTokens} were generated, or the context window ({@code n_positions}) is full. */
    LENGTH("length"),
    /** The caller cancelled the request. */
    CANCELLED("cancelled");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name used in JSON and by OpenAI-style APIs ({@code stop}, {@code length}, {@code cancelled}). */
    public String wireName() {
        return wireName;
    }
}
