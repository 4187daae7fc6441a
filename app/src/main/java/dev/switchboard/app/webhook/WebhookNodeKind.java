package dev.switchboard.app.webhook;

import dev.switchboard.app.runs.SideEffects;
import dev.switchboard.engine.NodeCompiler;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeKind;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import dev.switchboard.engine.ValidationProblem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code webhook}: POSTs {@code body} (a template; sent as JSON when it renders JSON, else as text)
 * to {@code url}, an operator-allowed destination ({@link WebhookProperties#allowedUrls()}), and
 * exposes the response {@code status}.
 *
 * <p>Delivered once per run: the delivery is a {@link SideEffects} effect, so a retried or resumed
 * run never posts again after a delivery succeeded, and every attempt carries the same
 * {@code Idempotency-Key: <run>:<node>:webhook} header — a receiver that deduplicates on it sees
 * one delivery even when a process died between posting and recording. A 2xx answer succeeds; 408,
 * 429, 5xx and network errors fail the attempt as retriable (the node's {@code retry} applies),
 * other statuses as not retriable.
 */
@Component
public class WebhookNodeKind implements NodeKind {

    private final WebhookProperties properties;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    WebhookNodeKind(WebhookProperties properties) {
        this.properties = properties;
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
        URI uri = null;
        if (url.isPresent()) {
            try {
                uri = URI.create(url.get().strip());
            } catch (IllegalArgumentException e) {
                c.problem("url", ValidationProblem.INVALID_CONFIG, "'url' is not a valid URL.");
            }
            if (uri != null && !properties.allows(uri)) {
                c.problem("url", "url_not_allowed", "'url' is not an allowed webhook destination "
                        + "(the operator lists them in switchboard.webhooks.allowed-urls).");
            }
        }
        Template template = c.template("body", body.orElse(""));
        if (c.hasProblems()) {
            return null;
        }
        return new Delivery(uri, template);
    }

    private final class Delivery implements NodeExecutor {
        private final URI url;
        private final Template body;

        Delivery(URI url, Template body) {
            this.url = url;
            this.body = body;
        }

        @Override
        public NodeResult execute(NodeContext ctx) throws Exception {
            String text = ctx.render(body);
            try {
                return NodeResult.of(deliver(ctx, text));
            } catch (WebhookException e) {
                return NodeResult.fail("webhook_failed", e.getMessage(), e.retriable);
            }
        }

        private Map<String, Object> deliver(NodeContext ctx, String text) throws Exception {
            return ctx.service(SideEffects.class).once(ctx, "webhook", attempt -> {
                HttpRequest request = HttpRequest.newBuilder(url)
                        .timeout(timeout(ctx))
                        .header("Content-Type", looksLikeJson(text) ? "application/json" : "text/plain; charset=utf-8")
                        .header("Idempotency-Key", attempt.idempotencyKey())
                        .header("User-Agent", "Switchboard-Webhook")
                        .POST(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                        .build();
                HttpResponse<Void> response;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    throw new WebhookException("The webhook could not be delivered: " + e.getClass().getSimpleName(), true);
                }
                int status = response.statusCode();
                if (status < 200 || status > 299) {
                    throw new WebhookException("The webhook answered HTTP " + status,
                            status == 408 || status == 429 || status >= 500);
                }
                return Map.of("status", status);
            });
        }

        private Duration timeout(NodeContext ctx) {
            Duration limit = properties.timeout();
            Instant deadline = ctx.deadline();
            if (deadline != null) {
                Duration left = Duration.between(ctx.clock().instant(), deadline);
                if (left.compareTo(limit) < 0) {
                    limit = left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
                }
            }
            return limit;
        }
    }

    private static boolean looksLikeJson(String text) {
        String t = text.strip();
        return t.startsWith("{") && t.endsWith("}") || t.startsWith("[") && t.endsWith("]");
    }

    /** A failed delivery (not recorded as done); the node's retry policy applies when retriable. */
    private static final class WebhookException extends Exception {
        final boolean retriable;

        WebhookException(String message, boolean retriable) {
            super(message, null, false, false);
            this.retriable = retriable;
        }
    }
}
