package dev.switchboard.gateway.internal.cohere;

import dev.switchboard.gateway.FinishReason;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.Usage;
import dev.switchboard.gateway.internal.FinishReasons;
import dev.switchboard.gateway.internal.http.HttpErrorMapper;
import dev.switchboard.gateway.internal.http.HttpTransport;
import dev.switchboard.gateway.internal.http.Json;
import dev.switchboard.gateway.spi.ProviderResponse;
import dev.switchboard.gateway.spi.ProviderStream;
import java.time.Clock;
import tools.jackson.databind.JsonNode;

/**
 * One Cohere stream, v2 chat (typed events {@code message-start}, {@code content-delta}, {@code message-end}
 * carrying finish reason and usage) or legacy generate (newline-delimited {@code {"text","is_finished"}} objects,
 * the last with {@code is_finished: true} and the full response). Only {@code message-end} or a finished
 * generate object end cleanly.
 */
final class CohereStreamHandler implements HttpTransport.SseHandler {

    private final String provider;
    private final String model;
    private final Secret key;
    private final Clock clock;
    private final StringBuilder text = new StringBuilder();
    private String id;

    CohereStreamHandler(String provider, String model, Secret key, Clock clock) {
        this.provider = provider;
        this.model = model;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public void onEvent(String event, String data, ProviderStream out) {
        JsonNode json = Json.parse(data);
        if (json.has("is_finished")) {
            generate(json, out);
            return;
        }
        String type = Json.text(json, "type");
        if (type == null) {
            type = event;
        }
        if (type == null) {
            return;
        }
        switch (type) {
            case "message-start" -> id = Json.text(json, "id");
            case "content-delta" -> emit(Json.text(json.path("delta").path("message").path("content"), "text"), out);
            case "message-end" -> {
                JsonNode delta = json.path("delta");
                FinishReason finish = FinishReasons.normalize(Json.text(delta, "finish_reason"));
                if (finish == FinishReason.ERROR) {
                    out.fail(new GatewayException.ProviderError(provider + " ended the stream with "
                            + Json.text(delta, "finish_reason"), provider, model, null, null));
                    return;
                }
                out.done(new ProviderResponse(id, text.toString(), finish, CohereProvider.tokens(delta.path("usage")),
                        CohereProvider.billed(delta.path("usage").path("billed_units")), null));
            }
            case "error" -> out.fail(HttpErrorMapper.fromError(provider, model, null, null,
                    HttpErrorMapper.ErrorBody.of(json, data), key, clock));
            default -> {
                // content-start/-end, tool and citation events carry no text
            }
        }
    }

    private void generate(JsonNode json, ProviderStream out) {
        if (!json.path("is_finished").asBoolean(false)) {
            emit(Json.text(json, "text"), out);
            return;
        }
        String reason = Json.text(json, "finish_reason");
        if (FinishReasons.normalize(reason) == FinishReason.ERROR) {
            out.fail(new GatewayException.ProviderError(provider + " ended the stream with " + reason, provider, model,
                    null, null));
            return;
        }
        JsonNode response = json.path("response");
        Usage billed = CohereProvider.billed(response.path("meta").path("billed_units"));
        out.done(new ProviderResponse(Json.text(response, "id"), text.toString(), FinishReasons.normalize(reason),
                billed, billed, null));
    }

    private void emit(String piece, ProviderStream out) {
        if (piece != null && !piece.isEmpty()) {
            text.append(piece);
            out.delta(piece);
        }
    }

    @Override
    public void onEnd(ProviderStream out) {
        out.fail(new GatewayException.ProviderError(
                "stream from " + provider + " ended without message-end", provider, model, null, null));
    }
}
