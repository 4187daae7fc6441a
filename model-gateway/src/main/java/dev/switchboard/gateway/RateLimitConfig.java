package dev.switchboard.gateway;

/**
 * Requests and tokens per minute; null means unlimited.
 *
 * @param requestsPerMinute RPM
 * @param tokensPerMinute   TPM (prompt + completion tokens; a call reserves its estimate and settles the actual
 *                          count when it ends)
 */
public record RateLimitConfig(Integer requestsPerMinute, Integer tokensPerMinute) {

    public static final RateLimitConfig UNLIMITED = new RateLimitConfig(null, null);

    public RateLimitConfig {
        if (requestsPerMinute != null) {
            ProviderConfig.atLeastOne(requestsPerMinute, "requestsPerMinute");
        }
        if (tokensPerMinute != null) {
            ProviderConfig.atLeastOne(tokensPerMinute, "tokensPerMinute");
        }
    }
}
