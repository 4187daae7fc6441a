package dev.switchboard.gateway.internal.openai;

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
 * One OpenAI-style stream: {@code data: {chunk}} events with {@code choices[0].delta.content} (chat) or
 * {@code choices[0].text} (legacy), a usage-only chunk when {@code include_usage} was asked, {@code data: {"error":...}}
 * on failure, and {@code data: [DONE]} as the only clean end.
 */
public final class OpenAiStreamHandler implements HttpTransport.SseHandler {

    private final String provider;
    private final String model;
    private final boolean legacy;
    private final Secret key;
    private final Clock clock;
    private final StringBuilder text = new StringBuilder();
    private String id;
    private String reportedModel;
    private FinishReason finish;
    private Usage usage;

    public OpenAiStreamHandler(String provider, String model, boolean legacy, Secret key, Clock clock) {
        this.provider = provider;
        this.model = model;
        this.legacy = legacy;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public void onEvent(String event, String data, ProviderStream out) {
        if ("[DONE]".equals(data.strip())) {
            out.done(new ProviderResponse(id, text.toString(), finish == null ? FinishReason.STOP : finish, usage, null,
                    reportedModel));
            return;
        }
        JsonNode chunk = Json.parse(data);
        if (chunk.has("error") || "error".equals(event)) {
            out.fail(HttpErrorMapper.fromError(provider, model, null, null,
                    HttpErrorMapper.ErrorBody.of(chunk, data), key, clock));
            return;
        }
        if (id == null) {
            id = Json.text(chunk, "id");
        }
        if (reportedModel == null) {
            reportedModel = Json.text(chunk, "model");
        }
        JsonNode choice = chunk.path("choices").path(0);
        if (!choice.isMissingNode()) {
            String piece = legacy ? Json.text(choice, "text") : Json.text(choice.path("delta"), "content");
            if (piece != null && !piece.isEmpty()) {
                text.append(piece);
                out.delta(piece);
            }
            String reason = Json.text(choice, "finish_reason");
            if (reason != null) {
                finish = FinishReasons.normalize(reason);
            }
        }
        Usage reported = OpenAiProvider.usage(chunk.path("usage"));
        if (reported != null) {
            usage = reported;
        }
    }

    @Override
    public void onEnd(ProviderStream out) {
        out.fail(new GatewayException.ProviderError(
                "stream from " + provider + " ended without [DONE]", provider, model, null, null));
    }
}
