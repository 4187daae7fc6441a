package dev.switchboard.gateway.internal.ai21;

import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.internal.FinishReasons;
import dev.switchboard.gateway.internal.http.HttpTransport;
import dev.switchboard.gateway.internal.http.Json;
import dev.switchboard.gateway.internal.http.Urls;
import dev.switchboard.gateway.internal.openai.OpenAiProvider;
import dev.switchboard.gateway.internal.openai.OpenAiStreamHandler;
import dev.switchboard.gateway.spi.ModelProvider;
import dev.switchboard.gateway.spi.ProviderCall;
import dev.switchboard.gateway.spi.ProviderFactory;
import dev.switchboard.gateway.spi.ProviderResponse;
import dev.switchboard.gateway.spi.ProviderSettings;
import dev.switchboard.gateway.spi.ProviderStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * AI21 Studio: Jamba chat completions ({@code POST /studio/v1/chat/completions}, OpenAI-shaped, SSE ending in
 * {@code [DONE]}) and Jurassic-2 complete ({@code POST /studio/v1/<model>/complete}) for {@code j2-*} models. J2
 * answers carry no usage object: tokens are counted from the returned {@code prompt.tokens} and
 * {@code completions[0].data.tokens} arrays. J2 cannot stream: a stream request gets the whole answer as one
 * delta. Chat requests to J2 models are sent as a transcript prompt.
 */
public final class Ai21Provider implements ModelProvider {

    public static final URI BASE_URL = URI.create("https://api.ai21.com/studio/v1");
    public static final ProviderFactory FACTORY = Ai21Provider::new;

    private final ProviderSettings settings;
    private final HttpTransport http;

    Ai21Provider(ProviderSettings settings) {
        this.settings = settings;
        this.http = new HttpTransport(settings.name(), settings.config(), settings.clock(), settings.proxy());
    }

    static boolean isJurassic(String model) {
        return model.startsWith("j2-");
    }

    @Override
    public CompletableFuture<ProviderResponse> complete(ProviderCall call) {
        Secret key = call.endpoint().apiKey();
        if (isJurassic(call.model())) {
            return http.postJson(url(call, call.model() + "/complete"), headers(key), j2Body(call), call.model(), key)
                    .thenApply(Ai21Provider::parseJ2);
        }
        return http.postJson(url(call, "chat/completions"), headers(key), chatBody(call, false), call.model(), key)
                .thenApply(json -> OpenAiProvider.parse(json, false));
    }

    @Override
    public ProviderStream stream(ProviderCall call) {
        if (isJurassic(call.model())) {
            ProviderStream out = new ProviderStream();
            CompletableFuture<ProviderResponse> future = complete(call);
            out.onCancel(() -> future.cancel(true));
            future.whenComplete((response, failure) -> {
                if (failure != null) {
                    out.fail(dev.switchboard.gateway.internal.http.HttpErrorMapper.fromTransport(settings.name(),
                            call.model(), failure, call.endpoint().apiKey()));
                } else {
                    out.delta(response.text());
                    out.done(response);
                }
            });
            return out;
        }
        ProviderStream out = new ProviderStream();
        http.postSse(url(call, "chat/completions"), headers(call.endpoint().apiKey()), chatBody(call, true), call.model(),
                call.endpoint().apiKey(), new OpenAiStreamHandler(settings.name(), call.model(), false,
                        call.endpoint().apiKey(), settings.clock()), out);
        return out;
    }

    @Override
    public void close() {
        http.close();
    }

    private URI url(ProviderCall call, String path) {
        URI base = call.endpoint().baseUrl() != null ? call.endpoint().baseUrl()
                : settings.config().baseUrl() != null ? settings.config().baseUrl() : BASE_URL;
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(Urls.hasVersion(base) ? b + "/" + path : b + "/studio/v1/" + path);
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
        if (r.maxTokens() != null) {
            body.put("max_tokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            body.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            body.put("top_p", r.topP());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            r.stop().forEach(stop::add);
        }
        body.put("n", 1);
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    ObjectNode j2Body(ProviderCall call) {
        ModelRequest r = call.request();
        ObjectNode body = Json.object().put("prompt", r.isChat() ? transcript(r) : r.prompt()).put("numResults", 1);
        if (r.maxTokens() != null) {
            body.put("maxTokens", r.maxTokens());
        }
        if (r.temperature() != null) {
            body.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            body.put("topP", r.topP());
        }
        if (!r.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stopSequences");
            r.stop().forEach(stop::add);
        }
        return body;
    }

    private static String transcript(ModelRequest r) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : r.messages()) {
            String who = switch (m.role()) {
                case SYSTEM -> "System";
                case USER -> "User";
                case ASSISTANT -> "Assistant";
            };
            sb.append(who).append(": ").append(m.content()).append('\n');
        }
        return sb.append("Assistant:").toString();
    }

    static ProviderResponse parseJ2(JsonNode json) {
        JsonNode completion = json.path("completions").path(0);
        String text = Json.text(completion.path("data"), "text");
        JsonNode promptTokens = json.path("prompt").path("tokens");
        JsonNode outputTokens = completion.path("data").path("tokens");
        Usage usage = promptTokens.isArray() || outputTokens.isArray()
                ? Usage.provider(promptTokens.size(), outputTokens.size()) : null;
        String reason = Json.text(completion.path("finishReason"), "reason");
        FinishReason finish = "endoftext".equals(reason) ? FinishReason.STOP : FinishReasons.normalize(reason);
        JsonNode id = json.path("id");
        return new ProviderResponse(id.isMissingNode() || id.isNull() ? null : id.asString(""),
                text == null ? "" : text, finish, usage, null, null);
    }
}
