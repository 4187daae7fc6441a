package dev.switchboard.gateway.internal.anthropic;

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
 * One Anthropic stream. {@code message_start} carries the input token count, {@code content_block_delta} text
 * ({@code text_delta}), {@code message_delta} the stop reason and the cumulative output count; {@code error}
 * (e.g. {@code overloaded_error}) fails the stream; {@code ping} and unknown events are ignored as the API's
 * versioning policy asks.
 */
final class AnthropicStreamHandler implements HttpTransport.SseHandler {

    private final String provider;
    private final String model;
    private final Secret key;
    private final Clock clock;
    private final StringBuilder text = new StringBuilder();
    private String id;
    private String reportedModel;
    private Integer inputTokens;
    private Usage usage;
    private FinishReason finish;

    AnthropicStreamHandler(String provider, String model, Secret key, Clock clock) {
        this.provider = provider;
        this.model = model;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public void onEvent(String event, String data, ProviderStream out) {
        JsonNode json = Json.parse(data);
        String type = event != null ? event : Json.text(json, "type");
        if (type == null) {
            return;
        }
        switch (type) {
            case "message_start" -> {
                JsonNode message = json.path("message");
                id = Json.text(message, "id");
                reportedModel = Json.text(message, "model");
                usage = AnthropicProvider.usage(message.path("usage"), null);
                inputTokens = usage == null ? null : usage.inputTokens();
            }
            case "content_block_delta" -> {
                JsonNode delta = json.path("delta");
                if ("text_delta".equals(Json.text(delta, "type"))) {
                    String piece = Json.text(delta, "text");
                    if (piece != null && !piece.isEmpty()) {
                        text.append(piece);
                        out.delta(piece);
                    }
                }
            }
            case "message_delta" -> {
                String reason = Json.text(json.path("delta"), "stop_reason");
                if (reason != null) {
                    finish = FinishReasons.normalize(reason);
                }
                // usage in message_delta is cumulative: keep the latest, never add
                Usage latest = AnthropicProvider.usage(json.path("usage"), inputTokens);
                if (latest != null) {
                    usage = latest;
                }
            }
            case "message_stop" -> out.done(new ProviderResponse(id, text.toString(),
                    finish == null ? FinishReason.STOP : finish, usage, null, reportedModel));
            case "error" -> out.fail(HttpErrorMapper.fromError(provider, model, null, null,
                    HttpErrorMapper.ErrorBody.of(json, data), key, clock));
            default -> {
                // ping, content_block_start/stop and event types added later carry no text
            }
        }
    }

    @Override
    public void onEnd(ProviderStream out) {
        out.fail(new GatewayException.ProviderError(
                "stream from " + provider + " ended without message_stop", provider, model, null, null));
    }
}
