package dev.switchboard.engine;

/**
 * Tokens of one model call (or a sum of calls).
 *
 * @param estimated true when a count was estimated (provider did not report it)
 */
public record TokenUsage(int input, int output, boolean estimated) {

    public static final TokenUsage ZERO = new TokenUsage(0, 0, false);

    public TokenUsage {
        if (input < 0) {
            throw new IllegalArgumentException("input must be >= 0, was " + input);
        }
        if (output < 0) {
            throw new IllegalArgumentException("output must be >= 0, was " + output);
        }
    }

    public int total() {
        return input + output;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(input + other.input, output + other.output, estimated || other.estimated);
    }
}
