package dev.switchboard.gateway.internal.openai;

import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ProviderConfig.PromptApi;
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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's chat completions ({@code POST /v1/chat/completions}) and legacy completions ({@code POST
 * /v1/completions}), streaming with {@code stream_options.include_usage}. Type {@code openai} talks to OpenAI
 * itself; type {@code openai-compatible} to vLLM, Ollama, TGI, LocalAI, llama.cpp and the like (own base URL,
 * {@code top_k} passed through, prompts sent to {@code /v1/completions} by default).
 */
public final class OpenAiProvider implements ModelProvider {

    public static final URI OPENAI_BASE_URL = URI.create("https://api.openai.com/v1");

    /** Factory of type {@code openai}. */
    public static final ProviderFactory OPENAI = settings -> new OpenAiProvider(settings, true);
    /** Factory of type {@code openai-compatible}. */
    public static final ProviderFactory COMPATIBLE = settings -> new OpenAiProvider(settings, false);

    /** OpenAI models that only exist on the legacy completions endpoint. */
    private static final Pattern LEGACY_COMPLETION_MODEL = Pattern.compile(
            "^(gpt-3\\.5-turbo-instruct.*|davinci-002|babbage-002|text-(davinci|curie|babbage|ada)-.*)$");
    /** OpenAI reasoning models reject {@code max_tokens} and want {@code max_completion_tokens}. */
    private static final Pattern REASONING_MODEL = Pattern.compile("^(o\\d.*|gpt-5.*)$");

    private final String name;
    private final boolean official;
    private final ProviderSettings settings;
    private final HttpTransport http;
    private final PromptApi promptApi;
    private final boolean streamUsage;

    OpenAiProvider(ProviderSettings settings, boolean official) {
        this.name = settings.name();
        this.official = official;
        this.settings = settings;
        this.promptApi = settings.config().promptApi() != null ? settings.config().promptApi()
                : official ? PromptApi.AUTO : PromptApi.COMPLETIONS;
        this.streamUsage = !"false".equalsIgnoreCase(settings.config().options().get("stream-usage"));
        if (!official && settings.config().baseUrl() == null
                && (settings.config().endpoints().isEmpty()
                || settings.config().endpoints().stream().anyMatch(e -> e.baseUrl() == null))) {
            throw new IllegalArgumentException("providers." + name + ".baseUrl must be set for type openai-compatible");
        }
        this.http = new HttpTransport(name, settings.config(), settings.clock(), settings.proxy());
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderCall call) {
        boolean legacy = usesCompletionsEndpoint(call);
        ObjectNode body = legacy ? completionBody(call, false) : chatBody(call, false);
        return http.postJson(url(call, legacy), headers(call.endpoint().apiKey()), body, call.model(),
                        call.endpoint().apiKey())
                .thenApply(json -> parse(json, legacy));
    }

    @Override
    public ProviderStream stream(ProviderCall call) {
        boolean legacy = usesCompletionsEndpoint(call);
        ObjectNode body = legacy ? completionBody(call, true) : chatBody(call, true);
        ProviderStream out = new ProviderStream();
        http.postSse(url(call, legacy), headers(call.endpoint().apiKey()), body, call.model(), call.endpoint().apiKey(),
                new OpenAiStreamHandler(name, call.model(), legacy, call.endpoint().apiKey(), settings.clock()), out);
        return out;
    }

    @Override
    public void close() {
        http.close();
    }

    boolean usesCompletionsEndpoint(ProviderCall call) {
        if (call.request().isChat()) {
            return false;
        }
        return switch (promptApi) {
            case CHAT -> false;
            case COMPLETIONS -> true;
            case AUTO -> LEGACY_COMPLETION_MODEL.matcher(call.model()).matches();
        };
    }

    private URI url(ProviderCall call, boolean legacy) {
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl()
                : settings.config().baseUrl() != null ? settings.config().baseUrl() : OPENAI_BASE_URL;
        return Urls.api(base, legacy ? "v1/completions" : "v1/chat/completions");
    }

    private static Map<String, String> headers(Secret key) {
        Map<String, String> h = new HashMap<>();
        if (key != null) {
            h.put("Authorization", "Bearer " + key.reveal());
        }
        return h;
    }

    ObjectNode chatBody(ProviderCall call, boolean stream) {
        ModelRequest r = call.request();
        ObjectNode body = Json.object().put("model", call.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : r.messagesOrPrompt()) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        if (r.maxTokens() != null) {
            body.put(official && REASONING_MODEL.matcher(call.model()).matches() ? "max_completion_tokens" : "max_tokens",
                    r.maxTokens());
        }
        common(body, r, stream);
        return body;
    }

    ObjectNode completionBody(ProviderCall call, boolean stream) {
        ModelRequest r = call.request();
        ObjectNode body = Json.object().put("model", call.model()).put("prompt", r.prompt());
        if (r.maxTokens() != null) {
            body.put("max_tokens", r.maxTokens());
        }
        common(body, r, stream);
        return body;
    }

    private void common(ObjectNode body, ModelRequest r, boolean stream) {
        if (r.temperature() != null) {
            body.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            body.put("top_p", r.topP());
        }
        if (r.topK() != null && !official) {
            body.put("top_k", r.topK());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            r.stop().forEach(stop::add);
        }
        if (r.seed() != null) {
            body.put("seed", r.seed());
        }
        if (r.user() != null) {
            body.put("user", r.user());
        }
        if (stream) {
            body.put("stream", true);
            if (streamUsage) {
                body.putObject("stream_options").put("include_usage", true);
            }
        }
    }

    public static ProviderResponse parse(JsonNode json, boolean legacy) {
        JsonNode choice = json.path("choices").path(0);
        String text = legacy ? Json.text(choice, "text") : Json.text(choice.path("message"), "content");
        return new ProviderResponse(Json.text(json, "id"), text == null ? "" : text,
                FinishReasons.normalize(Json.text(choice, "finish_reason")), usage(json.path("usage")), null,
                Json.text(json, "model"));
    }

    /** {@code {"prompt_tokens", "completion_tokens"}}, or null when absent. */
    public static Usage usage(JsonNode usage) {
        Integer in = Json.integer(usage, "prompt_tokens");
        Integer out = Json.integer(usage, "completion_tokens");
        return in == null && out == null ? null : Usage.provider(in == null ? 0 : in, out == null ? 0 : out);
    }
}
