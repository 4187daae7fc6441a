package dev.switchboard.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One configured provider ({@code switchboard.gateway.providers.<name>.*}). Every component may be null and
 * then takes the default named below, so a partially bound config is valid. {@link #toString()} never shows
 * the API key or header values.
 *
 * @param type               {@code openai}, {@code openai-compatible}, {@code anthropic}, {@code cohere},
 *                           {@code ai21} (or a type registered with the builder). Null: the provider name when it
 *                           is one of those, else {@code openai-compatible}
 * @param baseUrl            API base URL; null: the type's public endpoint (required for openai-compatible).
 *                           For OpenAI-style APIs both {@code http://host:port} and {@code http://host:port/v1} work
 * @param apiKey             the key (may be absent for local servers)
 * @param models             allow-list of model names; null or empty: any model passes through
 * @param endpoints          deployments to balance across (each may override base URL and key, with a weight);
 *                           null or empty: one deployment from {@code baseUrl}/{@code apiKey}
 * @param connectTimeout     TCP connect timeout (default 5 s)
 * @param timeout            time limit of a non-streaming call, and time to first event of a stream (default 120 s)
 * @param streamIdleTimeout  longest gap between two stream events (default 60 s)
 * @param maxConcurrentCalls bulkhead size for this provider (default 256)
 * @param requestsPerMinute  RPM limit per deployment (null: none)
 * @param tokensPerMinute    TPM limit per deployment (null: none)
 * @param promptApi          how a prompt-only request is sent; null: the type's default (see {@link PromptApi})
 * @param headers            extra headers sent on every request (e.g. {@code OpenAI-Organization})
 * @param options            provider-specific settings (e.g. {@code anthropic-version}, {@code default-max-tokens})
 */
public record ProviderConfig(String type, URI baseUrl, String apiKey, List<String> models,
                             List<EndpointConfig> endpoints, Duration connectTimeout, Duration timeout,
                             Duration streamIdleTimeout, Integer maxConcurrentCalls, Integer requestsPerMinute,
                             Integer tokensPerMinute, PromptApi promptApi, Map<String, String> headers,
                             Map<String, String> options) {

    /** How a request that has a {@code prompt} (no messages) reaches the provider. */
    public enum PromptApi {
        /** As one user message of a chat request. */
        CHAT,
        /** To the legacy text-completion endpoint ({@code /v1/completions}, Cohere generate, J2 complete). */
        COMPLETIONS,
        /** Completion endpoint for models known to be completion-only (OpenAI's instruct/davinci/babbage, AI21 j2-*), else chat. */
        AUTO
    }

    public ProviderConfig {
        type = type == null || type.isBlank() ? null : type.strip().toLowerCase(Locale.ROOT);
        models = models == null ? List.of() : List.copyOf(models);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        connectTimeout = positiveOr(connectTimeout, Duration.ofSeconds(5), "connectTimeout");
        timeout = positiveOr(timeout, Duration.ofSeconds(120), "timeout");
        streamIdleTimeout = positiveOr(streamIdleTimeout, Duration.ofSeconds(60), "streamIdleTimeout");
        maxConcurrentCalls = atLeastOne(maxConcurrentCalls == null ? 256 : maxConcurrentCalls, "maxConcurrentCalls");
        if (requestsPerMinute != null) {
            atLeastOne(requestsPerMinute, "requestsPerMinute");
        }
        if (tokensPerMinute != null) {
            atLeastOne(tokensPerMinute, "tokensPerMinute");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** A provider at {@code baseUrl} with {@code apiKey}; every other setting default. */
    public static ProviderConfig of(String type, URI baseUrl, String apiKey) {
        return new ProviderConfig(type, baseUrl, apiKey, null, null, null, null, null, null, null, null, null, null, null);
    }

    public ProviderConfig withModels(List<String> allowList) {
        return new ProviderConfig(type, baseUrl, apiKey, allowList, endpoints, connectTimeout, timeout, streamIdleTimeout,
                maxConcurrentCalls, requestsPerMinute, tokensPerMinute, promptApi, headers, options);
    }

    public ProviderConfig withEndpoints(List<EndpointConfig> deployments) {
        return new ProviderConfig(type, baseUrl, apiKey, models, deployments, connectTimeout, timeout, streamIdleTimeout,
                maxConcurrentCalls, requestsPerMinute, tokensPerMinute, promptApi, headers, options);
    }

    public ProviderConfig withTimeouts(Duration callTimeout, Duration idleTimeout) {
        return new ProviderConfig(type, baseUrl, apiKey, models, endpoints, connectTimeout, callTimeout, idleTimeout,
                maxConcurrentCalls, requestsPerMinute, tokensPerMinute, promptApi, headers, options);
    }

    public ProviderConfig withLimits(Integer maxConcurrent, Integer rpm, Integer tpm) {
        return new ProviderConfig(type, baseUrl, apiKey, models, endpoints, connectTimeout, timeout, streamIdleTimeout,
                maxConcurrent, rpm, tpm, promptApi, headers, options);
    }

    public ProviderConfig withPromptApi(PromptApi api) {
        return new ProviderConfig(type, baseUrl, apiKey, models, endpoints, connectTimeout, timeout, streamIdleTimeout,
                maxConcurrentCalls, requestsPerMinute, tokensPerMinute, api, headers, options);
    }

    public ProviderConfig withOptions(Map<String, String> providerOptions) {
        return new ProviderConfig(type, baseUrl, apiKey, models, endpoints, connectTimeout, timeout, streamIdleTimeout,
                maxConcurrentCalls, requestsPerMinute, tokensPerMinute, promptApi, headers, providerOptions);
    }

    @Override
    public String toString() {
        Map<String, String> maskedHeaders = new TreeMap<>();
        headers.keySet().forEach(k -> maskedHeaders.put(k, "****"));
        return "ProviderConfig[type=" + type + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", models=" + models + ", endpoints=" + endpoints + ", connectTimeout=" + connectTimeout
                + ", timeout=" + timeout + ", streamIdleTimeout=" + streamIdleTimeout
                + ", maxConcurrentCalls=" + maxConcurrentCalls + ", requestsPerMinute=" + requestsPerMinute
                + ", tokensPerMinute=" + tokensPerMinute + ", promptApi=" + promptApi + ", headers=" + maskedHeaders
                + ", options=" + options + "]";
    }

    static Duration positiveOr(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (!value.isPositive()) {
            throw new IllegalArgumentException(field + " must be > 0 (was " + value + ")");
        }
        return value;
    }

    static int atLeastOne(int value, String field) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1 (was " + value + ")");
        }
        return value;
    }
}
