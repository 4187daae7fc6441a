package dev.switchboard.engine.policy;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Operator settings for the policy node kinds ({@link PolicyKinds#all(PolicyOptions)}).
 *
 * @param tokenCounter         counts tokens for {@code policy.length} when the engine has no
 *                             {@link TokenCounter} service registered
 * @param vaultKey             32 bytes (AES-256) that encrypt the placeholder → value map a
 *                             {@code policy.pii} node with {@code restore: true} keeps in its outputs.
 *                             Must be the same across restarts and replicas for a run that waits
 *                             (review) to be restorable later; null = a random key per engine
 *                             (restoring then only works within the process that redacted)
 * @param defaultReviewTimeout how long a review waits when the node sets no {@code timeout}
 * @param maxReviewTimeout     the longest {@code timeout} a graph may configure
 * @param regexStepBudget      character reads one {@code policy.regex} pattern may make per 1,000
 *                             characters of input before it is stopped as catastrophic backtracking
 * @param maxRegexInput        longest text {@code policy.regex} evaluates; longer text triggers the policy
 */
public record PolicyOptions(TokenCounter tokenCounter, byte[] vaultKey, Duration defaultReviewTimeout,
                            Duration maxReviewTimeout, long regexStepBudget, int maxRegexInput) {

    public PolicyOptions {
        Objects.requireNonNull(tokenCounter, "tokenCounter");
        if (vaultKey != null) {
            if (vaultKey.length != 32) {
                throw new IllegalArgumentException("vaultKey must be 32 bytes (AES-256), was " + vaultKey.length);
            }
            vaultKey = vaultKey.clone();
        }
        Objects.requireNonNull(defaultReviewTimeout, "defaultReviewTimeout");
        Objects.requireNonNull(maxReviewTimeout, "maxReviewTimeout");
        if (defaultReviewTimeout.isNegative() || defaultReviewTimeout.isZero()) {
            throw new IllegalArgumentException("defaultReviewTimeout must be > 0");
        }
        if (maxReviewTimeout.compareTo(defaultReviewTimeout) < 0) {
            throw new IllegalArgumentException("maxReviewTimeout must be >= defaultReviewTimeout");
        }
        if (regexStepBudget < 1_000) {
            throw new IllegalArgumentException("regexStepBudget must be >= 1000, was " + regexStepBudget);
        }
        if (maxRegexInput < 1) {
            throw new IllegalArgumentException("maxRegexInput must be >= 1, was " + maxRegexInput);
        }
    }

    /** Estimated tokens, a per-engine random vault key, 24 h reviews (at most 30 days), 100k-char regex input. */
    public static PolicyOptions defaults() {
        return new PolicyOptions(TokenCounter.estimating(), null, Duration.ofHours(24), Duration.ofDays(30),
                200_000, 100_000);
    }

    public PolicyOptions withTokenCounter(TokenCounter counter) {
        return new PolicyOptions(counter, vaultKey, defaultReviewTimeout, maxReviewTimeout, regexStepBudget, maxRegexInput);
    }

    public PolicyOptions withVaultKey(byte[] key) {
        return new PolicyOptions(tokenCounter, key, defaultReviewTimeout, maxReviewTimeout, regexStepBudget, maxRegexInput);
    }

    public PolicyOptions withReviewTimeouts(Duration defaultTimeout, Duration maxTimeout) {
        return new PolicyOptions(tokenCounter, vaultKey, defaultTimeout, maxTimeout, regexStepBudget, maxRegexInput);
    }

    public PolicyOptions withRegexLimits(long stepBudget, int maxInput) {
        return new PolicyOptions(tokenCounter, vaultKey, defaultReviewTimeout, maxReviewTimeout, stepBudget, maxInput);
    }

    /** A copy of the key (records expose arrays by reference otherwise). */
    @Override
    public byte[] vaultKey() {
        return vaultKey == null ? null : vaultKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyOptions p && tokenCounter.equals(p.tokenCounter) && Arrays.equals(vaultKey, p.vaultKey)
                && defaultReviewTimeout.equals(p.defaultReviewTimeout) && maxReviewTimeout.equals(p.maxReviewTimeout)
                && regexStepBudget == p.regexStepBudget && maxRegexInput == p.maxRegexInput;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokenCounter, Arrays.hashCode(vaultKey), defaultReviewTimeout, maxReviewTimeout,
                regexStepBudget, maxRegexInput);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "PolicyOptions[tokenCounter=" + tokenCounter + ", vaultKey=" + (vaultKey == null ? "random" : "set")
                + ", defaultReviewTimeout=" + defaultReviewTimeout + ", maxReviewTimeout=" + maxReviewTimeout
                + ", regexStepBudget=" + regexStepBudget + ", maxRegexInput=" + maxRegexInput + "]";
    }
}
