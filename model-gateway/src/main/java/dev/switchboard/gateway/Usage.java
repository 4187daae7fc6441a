package dev.switchboard.gateway;

/**
 * Token counts of one call.
 *
 * @param inputTokens  prompt tokens
 * @param outputTokens generated tokens
 * @param source       whether the provider reported the counts or the gateway estimated them
 */
public record Usage(int inputTokens, int outputTokens, Source source) {

    /** Where the counts come from. */
    public enum Source {
        /** Reported by the provider. */
        PROVIDER,
        /** Estimated by the gateway because the provider reported none (e.g. a cut stream). */
        ESTIMATED
    }

    public static final Usage NONE = new Usage(0, 0, Source.PROVIDER);

    public Usage {
        if (inputTokens < 0) {
            throw new IllegalArgumentException("inputTokens must be >= 0");
        }
        if (outputTokens < 0) {
            throw new IllegalArgumentException("outputTokens must be >= 0");
        }
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
    }

    public static Usage provider(int inputTokens, int outputTokens) {
        return new Usage(inputTokens, outputTokens, Source.PROVIDER);
    }

    public static Usage estimated(int inputTokens, int outputTokens) {
        return new Usage(inputTokens, outputTokens, Source.ESTIMATED);
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }

    public boolean estimated() {
        return source == Source.ESTIMATED;
    }
}
