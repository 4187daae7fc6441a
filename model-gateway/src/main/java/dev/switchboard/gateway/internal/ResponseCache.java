package dev.switchboard.gateway.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.switchboard.gateway.CacheConfig;
import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Exact-match cache of deterministic requests (temperature exactly 0), per workspace, with TTL and size bound
 * (Caffeine on the gateway's clock). Only complete answers (not {@code error} finishes) are stored. Thread-safe.
 */
final class ResponseCache {

    /** Everything that determines the answer. {@code user} is deliberately not part of it. */
    record Key(String workspace, List<String> models, List<ChatMessage> messages, String prompt, Integer maxTokens,
               Double topP, Integer topK, List<String> stop, Long seed) {
    }

    private final Cache<Key, ModelResponse> cache;

    ResponseCache(CacheConfig config, Clock clock) {
        this.cache = config.enabled() ? Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .expireAfterWrite(config.ttl())
                .ticker(ticker(clock))
                .build() : null;
    }

    private static Ticker ticker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    /** The key of a cacheable request, or null when the cache is off or the request is not deterministic. */
    Key key(ModelRequest r, String workspace) {
        if (cache == null || r.temperature() == null || r.temperature() != 0.0) {
            return null;
        }
        return new Key(workspace, r.models(), r.messages(), r.prompt(), r.maxTokens(), r.topP(), r.topK(), r.stop(),
                r.seed());
    }

    ModelResponse get(Key key) {
        return key == null ? null : cache.getIfPresent(key);
    }

    void put(Key key, ModelResponse response) {
        if (key != null && response.finishReason() != FinishReason.ERROR) {
            cache.put(key, response);
        }
    }
}
