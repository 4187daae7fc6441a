package dev.switchboard.app.webhook;

import dev.switchboard.app.outbound.OutboundException;
import dev.switchboard.app.outbound.OutboundHttp;
import dev.switchboard.app.outbound.OutboundGuard;
import dev.switchboard.app.outbound.OutboundRefusedException;
import dev.switchboard.app.outbound.OutboundTarget;
import dev.switchboard.app.runs.SideEffects;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeFailedException;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code webhook}: POSTs {@code body} (a template; sent as JSON when it renders JSON, else as text)
 * to {@code url} and exposes the response {@code status}. The URL is user input like any other: it
 * goes through the {@link OutboundGuard} (public destinations by default, internal ones only where
 * the operator's {@code switchboard.outbound.allow} lists them; checked when the graph is validated
 * as far as possible without DNS, and again at connect time on the exact address used). Redirects
 * are not followed: a 3xx answer fails the delivery.
 *
 * <p>Delivered once per run: the delivery is a {@link SideEffects} effect, so a retried or resumed
 * run never posts again after a delivery succeeded, and every attempt carries the same
 * {@code Idempotency-Key: <run>:<node>:webhook} header — a receiver that deduplicates on it sees
 * one delivery even when a process died between posting and recording. A 2xx answer succeeds; 408,
 * 429, 5xx and network errors fail the attempt as retriable (the node's {@code retry} applies),
 * other statuses and refused destinations as not retriable.
 */
@Component
public class WebhookNodeKind implements NodeKind {

    /** Webhook answers are not exposed; read a little of them only. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final WebhookProperties properties;
    private final OutboundHttp http;

    WebhookNodeKind(WebhookProperties properties, OutboundHttp http) {
        this.properties = properties;
        this.http = http;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public Optional<Set<String>> exposedFields(ObjectNode config) {
        return Optional.of(Set.of("status"));
    }

    @Override
    public NodeExecutor compile(NodeCompiler c) {
        Optional<String> url = c.requiredText("url");
        Optional<String> body = c.optionalText("body");
        OutboundTarget target = null;
        if (url.isPresent()) {
            try {
                target = http.guard().checkWithoutLookup(url.get());
            } catch (OutboundRefusedException e) {
                c.problem("url", "outbound_refused", "'url' is not allowed: " + e.reason());
            }
        }
        Template template = c.template("body", body.orElse(""));
        if (c.hasProblems()) {
            return null;
        }
        return new Delivery(target, template);
    }

    private final class Delivery implements NodeExecutor {
        private final OutboundTarget url;
        private final Template body;

        Delivery(OutboundTarget url, Template body) {
            this.url = url;
            this.body = body;
        }

        @Override
        public NodeResult execute(NodeContext ctx) throws Exception {
            String text = ctx.render(body);
            // failures are NodeFailedException: thrown inside the side effect, not recorded as delivered
            return NodeResult.of(deliver(ctx, text));
        }

        private Map<String, Object> deliver(NodeContext ctx, String text) throws Exception {
            return ctx.service(SideEffects.class).once(ctx, "webhook", attempt -> {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Idempotency-Key", attempt.idempotencyKey());
                headers.put("User-Agent", "Switchboard-Webhook");
                OutboundHttp.Response response;
                try {
                    response = http.send(new OutboundHttp.Request("POST", url, headers, text.getBytes(StandardCharsets.UTF_8),
                            OutboundHttp.Request.guessContentType(text), timeout(ctx), 0,
                            MAX_RESPONSE_BYTES), ctx.cancellation());
                } catch (OutboundException e) {
                    boolean refused = e.failure() == OutboundException.Failure.REFUSED;
                    throw new NodeFailedException(refused ? "outbound_refused" : "webhook_failed",
                            (refused ? "The webhook URL is not allowed: " : "The webhook could not be delivered: ") + e.getMessage(),
                            e.failure().retriable());
                }
                int status = response.status();
                if (status < 200 || status > 299) {
                    throw new NodeFailedException("webhook_failed", "The webhook answered HTTP " + status,
                            status == 408 || status == 429 || status >= 500);
                }
                return Map.of("status", status);
            });
        }

        private Duration timeout(NodeContext ctx) {
            return ctx.timeLeft(properties.timeout());
        }
    }
}
