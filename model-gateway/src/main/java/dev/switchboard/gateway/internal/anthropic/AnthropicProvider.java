package dev.switchboard.gateway.internal.anthropic;

import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.internal.FinishReasons;
import dev.switchboard.gateway.internal.http.HttpTransport;
import dev.switchboard.gateway.internal.http.Json;
import dev.switchboard.gateway.internal.http.Urls;
import dev.switchboard.gateway.spi.ModelProvider;
import dev.switchboard.gateway.spi.ProviderCall;
import dev.switchboard.gateway.spi.ProviderFactory;
import dev.switchboard.gateway.spi.ProviderResponse;
import dev.switchboard.gateway.spi.ProviderSettings;
import dev.switchboard.gateway.spi.ProviderStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages API ({@code POST /v1/messages}): system messages move to the top-level {@code system}
 * field, {@code max_tokens} is always sent (the request's or the configured default), {@code x-api-key} and
 * {@code anthropic-version} headers. Streams are named SSE events ({@code message_start}, {@code content_block_delta},
 * {@code message_delta}, {@code message_stop}, {@code ping}, {@code error}); only {@code message_stop} ends cleanly.
 */
public final class AnthropicProvider implements ModelProvider {

    public static final URI BASE_URL = URI.create("https://api.anthropic.com");
    public static final String DEFAULT_VERSION = "2023-06-01";
    public static final ProviderFactory FACTORY = AnthropicProvider::new;

    private final ProviderSettings settings;
    private final HttpTransport http;
    private final String version;

    AnthropicProvider(ProviderSettings settings) {
        this.settings = settings;
        this.http = new HttpTransport(settings.name(), settings.config(), settings.clock(), settings.proxy());
        this.version = settings.config().options().getOrDefault("anthropic-version", DEFAULT_VERSION);
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderCall call) {
        return http.postJson(url(call), headers(call.endpoint().apiKey()), body(call, false), call.model(),
                call.endpoint().apiKey()).thenApply(AnthropicProvider::parse);
    }

    @Override
    public ProviderStream stream(ProviderCall call) {
        ProviderStream out = new ProviderStream();
        http.postSse(url(call), headers(call.endpoint().apiKey()), body(call, true), call.model(),
                call.endpoint().apiKey(),
                new AnthropicStreamHandler(settings.name(), call.model(), call.endpoint().apiKey(), settings.clock()), out);
        return out;
    }

    @Override
    public void close() {
        http.close();
    }

    private URI url(ProviderCall call) {
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl()
                : settings.config().baseUrl() != null ? settings.config().baseUrl() : BASE_URL;
        return Urls.api(base, "v1/messages");
    }

    private Map<String, String> headers(Secret key) {
        Map<String, String> h = new HashMap<>();
        h.put("anthropic-version", version);
        if (key != null) {
            h.put("x-api-key", key.reveal());
        }
        return h;
    }

    ObjectNode body(ProviderCall call, boolean stream) {
        ModelRequest r = call.request();
        ObjectNode body = Json.object().put("model", call.model())
                .put("max_tokens", r.maxTokens() != null ? r.maxTokens() : settings.defaultMaxTokens());
        List<String> system = new ArrayList<>();
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : r.messagesOrPrompt()) {
            if (m.role() == ChatMessage.Role.SYSTEM) {
                system.add(m.content());
            } else {
                messages.addObject().put("role", m.role().wireName()).put("content", m.content());
            }
        }
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        if (r.temperature() != null) {
            // Anthropic's range is 0..1: OpenAI-style values above 1 are clamped rather than rejected.
            body.put("temperature", Math.min(1.0, r.temperature()));
        }
        if (r.topP() != null) {
            body.put("top_p", r.topP());
        }
        if (r.topK() != null) {
            body.put("top_k", r.topK());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            r.stop().forEach(stop::add);
        }
        if (r.user() != null) {
            body.putObject("metadata").put("user_id", r.user());
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    static ProviderResponse parse(JsonNode json) {
        StringBuilder text = new StringBuilder();
        for (JsonNode block : json.path("content")) {
            if ("text".equals(Json.text(block, "type"))) {
                text.append(Json.text(block, "text"));
            }
        }
        return new ProviderResponse(Json.text(json, "id"), text.toString(),
                FinishReasons.normalize(Json.text(json, "stop_reason")), usage(json.path("usage"), null), null,
                Json.text(json, "model"));
    }

    /** {@code {"input_tokens", "output_tokens"}}; {@code fallbackInput} when a stream's delta omits input. */
    static Usage usage(JsonNode usage, Integer fallbackInput) {
        Integer in = Json.integer(usage, "input_tokens");
        Integer out = Json.integer(usage, "output_tokens");
        if (in == null && out == null) {
            return null;
        }
        int input = in != null ? in : fallbackInput != null ? fallbackInput : 0;
        return Usage.provider(input, out == null ? 0 : out);
    }
}
