package dev.switchboard.app.review;

import dev.switchboard.app.review.ReviewViews.ReviewView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tells an operator-configured webhook that a review task opened: {@code POST} of
 * {@code {"event": "review.opened", "review": {...}}}, signed with an HMAC when a secret is set.
 * Fire and forget on a virtual thread: a slow or failing webhook never delays or fails a run;
 * failures are logged (no retry: the task list API is the source of truth).
 */
@Component
class ReviewNotifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReviewNotifier.class);

    private final ReviewProperties properties;
    private final JsonMapper json;
    private final OutboundTargets targets;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    ReviewNotifier(ReviewProperties properties, JsonMapper json, ObjectProvider<OutboundTargets> targets) {
        this.properties = properties;
        this.json = json;
        this.targets = targets.getIfAvailable(() -> OutboundTargets.OPERATOR_CONFIGURED);
        this.http = HttpClient.newBuilder().connectTimeout(properties.webhookTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(executor).build();
    }

    void opened(ReviewView review) {
        URI url = properties.webhookUrl();
        if (url == null) {
            return;
        }
        String refused = targets.refuse(url);
        if (refused != null) {
            log.warn("Review webhook not sent to {}: {}", url, refused);
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("event", "review.opened");
        event.put("review", review);
        byte[] body = json.writeValueAsBytes(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(properties.webhookTimeout())
                .header("Content-Type", "application/json").header("User-Agent", "Switchboard")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (properties.webhookSecret() != null && !properties.webhookSecret().isBlank()) {
            request.header("X-Switchboard-Signature", "sha256=" + hmac(properties.webhookSecret(), body));
        }
        http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null) {
                log.warn("Review webhook for task {} failed: {}", review.id(), error.toString());
            } else if (response.statusCode() >= 300) {
                log.warn("Review webhook for task {} answered HTTP {}", review.id(), response.statusCode());
            }
        });
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
