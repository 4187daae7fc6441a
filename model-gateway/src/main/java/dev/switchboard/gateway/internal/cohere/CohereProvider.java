package dev.switchboard.gateway.internal.cohere;

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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cohere v2 chat ({@code POST /v2/chat}) and the legacy generate API ({@code POST /v1/generate}). Sampling names
 * are Cohere's ({@code p}, {@code k}, {@code stop_sequences}). Usage: {@code usage.tokens} as counted, cost from
 * {@code usage.billed_units} (generate reports only {@code meta.billed_units}).
 */
public final class CohereProvider implements ModelProvider {

    public static final URI BASE_URL = URI.create("https://api.cohere.com");
    public static final ProviderFactory FACTORY = CohereProvider::new;
    /** The generate-only models; every other model is a chat model. */
    private static final Pattern GENERATE_MODEL = Pattern.compile("^command(-light)?(-nightly)?$");

    private final ProviderSettings settings;
    private final HttpTransport http;
    private final PromptApi promptApi;

    CohereProvider(ProviderSettings settings) {
        this.settings = settings;
        this.http = new HttpTransport(settings.name(), settings.config(), settings.clock(), settings.proxy());
        this.promptApi = settings.config().promptApi() != null ? settings.config().promptApi() : PromptApi.AUTO;
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderCall call) {
        boolean generate = usesGenerate(call);
        Secret key = call.endpoint().apiKey();
        return http.postJson(url(call, generate), headers(key), generate ? generateBody(call, false) : chatBody(call, false),
                call.model(), key).thenApply(json -> generate ? parseGenerate(json) : parseChat(json));
    }

    @Override
    public ProviderStream stream(ProviderCall call) {
        boolean generate = usesGenerate(call);
        Secret key = call.endpoint().apiKey();
        ProviderStream out = new ProviderStream();
        http.postSse(url(call, generate), headers(key), generate ? generateBody(call, true) : chatBody(call, true),
                call.model(), key, new CohereStreamHandler(settings.name(), call.model(), key, settings.clock()), out);
        return out;
    }

    @Override
    public void close() {
        http.close();
    }

    private boolean usesGenerate(ProviderCall call) {
        if (call.request().isChat()) {
            return false;
        }
        return switch (promptApi) {
            case CHAT -> false;
            case COMPLETIONS -> true;
            case AUTO -> GENERATE_MODEL.matcher(call.model()).matches();
        };
    }

    private URI url(ProviderCall call, boolean generate) {
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl()
                : settings.config().baseUrl() != null ? settings.config().baseUrl() : BASE_URL;
        return URI.create(Urls.root(base) + (generate ? "/v1/generate" : "/v2/chat"));
    }

    private static Map<String, String> headers(Secret key) {
        return key == null ? Map.of() : Map.of("Authorization", "Bearer " + key.reveal());
    }

    ObjectNode chatBody(ProviderCall call, boolean stream) {
        ModelRequest r = call.request();
        ObjectNode body = Json.object().put("model", call.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : r.messagesOrPrompt()) {
            messages.addObject().put("role", m.role().wireName()).put("content", m.content());
        }
        sampling(body, r, stream);
        return body;
    }

    ObjectNode generateBody(ProviderCall call, boolean stream) {
        ObjectNode body = Json.object().put("model", call.model()).put("prompt", call.request().prompt());
        sampling(body, call.request(), stream);
        return body;
    }

    private static void sampling(ObjectNode body, ModelRequest r, boolean stream) {
        if (r.maxTokens() != null) {
            body.put("max_tokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            body.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            body.put("p", r.topP());
        }
        if (r.topK() != null) {
            body.put("k", r.topK());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            r.stop().forEach(stop::add);
        }
        if (r.seed() != null) {
            body.put("seed", r.seed());
        }
        if (stream) {
            body.put("stream", true);
        }
    }

    static ProviderResponse parseChat(JsonNode json) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : json.path("message").path("content")) {
            if ("text".equals(Json.text(part, "type"))) {
                text.append(Json.text(part, "text"));
            }
        }
        return new ProviderResponse(Json.text(json, "id"), text.toString(),
                FinishReasons.normalize(Json.text(json, "finish_reason")), tokens(json.path("usage")),
                billed(json.path("usage").path("billed_units")), null);
    }

    static ProviderResponse parseGenerate(JsonNode json) {
        JsonNode generation = json.path("generations").path(0);
        Usage billed = billed(json.path("meta").path("billed_units"));
        String text = Json.text(generation, "text");
        return new ProviderResponse(Json.text(json, "id"), text == null ? "" : text,
                FinishReasons.normalize(Json.text(generation, "finish_reason")), billed, billed, null);
    }

    /** {@code usage.tokens}, falling back to the billed units when absent. */
    static Usage tokens(JsonNode usage) {
        Usage counted = billed(usage.path("tokens"));
        return counted != null ? counted : billed(usage.path("billed_units"));
    }

    static Usage billed(JsonNode units) {
        JsonNode in = units.path("input_tokens");
        JsonNode out = units.path("output_tokens");
        if (!in.isNumber() && !out.isNumber()) {
            return null;
        }
        return Usage.provider(in.isNumber() ? in.intValue() : 0, out.isNumber() ? out.intValue() : 0);
    }
}
