package dev.switchboard.app.review;

import static dev.switchboard.app.review.ReviewGraphs.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.SwitchboardApplication;
import dev.switchboard.app.support.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * An operator-configured webhook hears about every review task that opens, signed. Starts its own
 * app (not the shared test context: other settings would make Spring pause and restart that one).
 */
class ReviewWebhookIT {

    private static final String KEY = "review-webhook-admin-key-0123456789";

    @TempDir
    Path dataDir;

    private static final String SECRET = "whsec-test-0123456789";
    private static final LinkedBlockingQueue<Map.Entry<String, byte[]>> RECEIVED = new LinkedBlockingQueue<>();
    private static final HttpServer HOOK = startHook();

    private static HttpServer startHook() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hooks/reviews", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                RECEIVED.add(Map.entry(String.valueOf(exchange.getRequestHeaders().getFirst("X-Switchboard-Signature")), body));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopHook() {
        HOOK.stop(0);
    }

    @Test
    void aSignedEventArrivesWhenATaskOpens() throws InterruptedException {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0", "--switchboard.data-dir=" + dataDir, "--switchboard.api-key=" + KEY,
                "--switchboard.reviews.webhook-url=http://127.0.0.1:" + HOOK.getAddress().getPort() + "/hooks/reviews",
                "--switchboard.reviews.webhook-secret=" + SECRET)) {
            expectEvent(new Api("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"), KEY));
        }
    }

    private static void expectEvent(Api api) throws InterruptedException {
        String appId = api.post("/api/v1/apps", app("hooked", ReviewGraphs.reviewed(Map.of()))).json().get("id").asString();
        JsonNode run = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "ping"))).json();
        assertThat(run.get("status").asString()).isEqualTo("waiting_review");

        Map.Entry<String, byte[]> hit = RECEIVED.poll(20, TimeUnit.SECONDS);
        assertThat(hit).as("webhook call").isNotNull();
        JsonNode event = Api.JSON.readTree(hit.getValue());
        assertThat(event.get("event").asString()).isEqualTo("review.opened");
        assertThat(event.get("review").get("runId").asString()).isEqualTo(run.get("id").asString());
        assertThat(event.get("review").get("content").asString()).isEqualTo("Draft: ping");
        assertThat(hit.getKey()).isEqualTo("sha256=" + ReviewNotifier.hmac(SECRET, hit.getValue()));
    }
}
