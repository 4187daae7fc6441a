package dev.switchboard.app.gateway;

import dev.switchboard.engine.ModelCall;
import dev.switchboard.engine.ModelCallContext;
import dev.switchboard.engine.ModelCallException;
import dev.switchboard.engine.ModelClient;
import dev.switchboard.engine.ModelResult;
import dev.switchboard.engine.RunContext;
import dev.switchboard.engine.TokenUsage;
import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapts the model gateway to the engine's {@link ModelClient}: the {@code ai} node's call becomes
 * a gateway request (its fallback chain included), tokens stream to the node's sink, and gateway
 * failures become {@link ModelCallException}s that keep the gateway's retriable verdict and
 * status, with messages the gateway already stripped of keys. A cancelled call (the engine
 * interrupted the thread) becomes an {@link InterruptedException}, as the engine expects.
 */
final class GatewayModelClient implements ModelClient {

    /**
     * The gateway gets the node's deadline a little later than the engine: the engine interrupts
     * the call at its deadline and reports the node {@code timeout}; the gateway's own cut-off is
     * only the backstop, so a timed-out node is never mislabelled {@code model_error}.
     */
    static final Duration DEADLINE_GRACE = Duration.ofMillis(250);

    private final ModelGateway gateway;

    GatewayModelClient(ModelGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public ModelResult call(ModelCall call, ModelCallContext ctx) throws InterruptedException {
        ModelRequest request;
        try {
            request = request(call, ctx);
        } catch (GatewayException e) {
            throw new ModelCallException(e.getMessage(), false, e.httpStatus(), e);
        }
        CallContext context = new CallContext(ctx.run().workspaceId(),
                ctx.deadline() == null ? null : ctx.deadline().plus(DEADLINE_GRACE), attributes(ctx));
        try {
            ModelResponse response = ctx.streaming()
                    ? gateway.stream(request, context, ctx.tokenSink()::accept)
                    : gateway.call(request, context);
            return new ModelResult(response.text(), response.finishReason().wireName(),
                    new TokenUsage(response.usage().inputTokens(), response.usage().outputTokens(), response.usage().estimated()),
                    response.provider(), response.model(), response.cost(), response.latency());
        } catch (GatewayException.Cancelled e) {
            InterruptedException interrupted = new InterruptedException("model call cancelled");
            interrupted.initCause(e);
            throw interrupted;
        } catch (GatewayException e) {
            Integer status = e.upstreamStatus() != null ? e.upstreamStatus() : e.httpStatus();
            throw new ModelCallException(describe(e), e.retriable(), status, e);
        }
    }

    private static ModelRequest request(ModelCall call, ModelCallContext ctx) {
        ModelRequest.Builder builder = ModelRequest.builder()
                .models(call.models())
                .maxTokens(call.maxTokens())
                .temperature(call.temperature())
                .topP(call.topP())
                .topK(call.topK())
                .stop(call.stop().isEmpty() ? null : call.stop())
                .seed(call.seed())
                .stream(ctx.streaming());
        if (call.isChat()) {
            List<ChatMessage> messages = new ArrayList<>(call.messages().size());
            for (int i = 0; i < call.messages().size(); i++) {
                var m = call.messages().get(i);
                messages.add(new ChatMessage(ChatMessage.Role.parse(m.role(), "messages[" + i + "].role"), m.content()));
            }
            builder.messages(messages);
        } else {
            builder.prompt(call.prompt());
        }
        return builder.build();
    }

    private static Map<String, String> attributes(ModelCallContext ctx) {
        RunContext run = ctx.run();
        Map<String, String> attributes = new HashMap<>(4);
        attributes.put("runId", run.runId());
        if (run.appId() != null) {
            attributes.put("appId", run.appId());
        }
        if (ctx.nodeId() != null) {
            attributes.put("nodeId", ctx.nodeId());
        }
        return attributes;
    }

    /** The gateway's message with its error code, e.g. "provider_auth_failed: openai rejected the API key". */
    private static String describe(GatewayException e) {
        return e.code() + ": " + e.getMessage();
    }
}
