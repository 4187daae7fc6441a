package dev.switchboard.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The {@code http} and {@code webhook} nodes in the running app, against real sockets: an
 * allow-listed loopback receiver works (POSTs carry one idempotency key and run once), and a
 * listener on 127.0.0.1 that is not allow-listed receives nothing, whatever the spelling.
 */
class OutboundNodesIT extends IntegrationTest {

    private static final ConcurrentLinkedQueue<String> RECEIVED = new ConcurrentLinkedQueue<>();
    private static final LoopbackListener FORBIDDEN = new LoopbackListener();
    private static final HttpServer RECEIVER = receiver();

    private static HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/orders", x -> {
                String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                RECEIVED.add(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Idempotency-Key") + " "
                        + x.getRequestHeaders().getFirst("Content-Type") + " " + body);
                respond(x, 201, "{\"id\":\"ord-7\",\"accepted\":true}");
            });
            server.createContext("/to-loopback", x -> {
                x.getResponseHeaders().add("Location", "http://127.0.0.1:" + FORBIDDEN.port() + "/");
                x.sendResponseHeaders(307, -1);
                x.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void respond(HttpExchange x, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    @DynamicPropertySource
    static void outbound(DynamicPropertyRegistry registry) {
        // the receiver's port only: the listener on the same address stays refused
        registry.add("switchboard.outbound.allow", () -> "127.0.0.1:" + RECEIVER.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        RECEIVER.stop(0);
        FORBIDDEN.close();
    }

    private static String receiver(String path) {
        return "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + path;
    }

    private static Map<String, Object> graph(Map<String, Object> node) {
        return Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "text", "type", "text", "required", true, "maxLength", 500)))),
                        node,
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("status", "{{call.status}}")))),
                "edges", List.of(TestGraphs.edge("in", "call"), TestGraphs.edge("call", "out")));
    }

    private Response createApp(Map<String, Object> node) {
        return api.post("/api/v1/apps", TestGraphs.app("outbound-" + UUID.randomUUID(), graph(node)));
    }

    private JsonNode run(Map<String, Object> node, String text) {
        Response created = createApp(node);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        return api.post("/api/v1/apps/" + id + "/runs", Map.of("inputs", Map.of("text", text))).json();
    }

    @Test
    void anHttpNodePostsOnceToAnAllowListedReceiverAndExposesItsAnswer() {
        RECEIVED.clear();
        JsonNode run = run(Map.of("id", "call", "type", "http", "config", Map.of("method", "POST", "url", receiver("/orders"),
                "body", Map.of("item", "{{in.text}}", "qty", 2))), "tea \"green\"");

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("status").asInt()).isEqualTo(201);
        assertThat(RECEIVED).hasSize(1);
        String received = RECEIVED.peek();
        assertThat(received).startsWith("POST " + run.get("id").asString() + ":call:http application/json");
        assertThat(received).contains("\"item\":\"tea \\\"green\\\"\"").contains("\"qty\":2");
    }

    @Test
    void aWebhookDeliversToAnAllowListedReceiver() {
        RECEIVED.clear();
        JsonNode run = run(Map.of("id", "call", "type", "webhook", "config", Map.of("url", receiver("/orders"),
                "body", "{\"text\": \"{{in.text}}\"}")), "hi");

        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("outputs").get("status").asInt()).isEqualTo(201);
        assertThat(RECEIVED).singleElement().asString().startsWith("POST " + run.get("id").asString() + ":call:webhook");
    }

    @Test
    void literalInternalUrlsAreRefusedWhenTheAppIsSaved() {
        int port = FORBIDDEN.port();
        for (String type : List.of("http", "webhook")) {
            for (String url : List.of("http://127.0.0.1:" + port + "/", "http://2130706433:" + port + "/",
                    "http://0x7f.1:" + port + "/", "http://[::ffff:127.0.0.1]:" + port + "/", "http://169.254.169.254/latest",
                    "http://[::1]:" + port + "/", "file:///etc/passwd", "http://a@127.0.0.1:" + port + "/")) {
                Response created = createApp(Map.of("id", "call", "type", type, "config", Map.of("url", url)));

                assertThat(created.status()).as(type + " " + url).isEqualTo(422);
                assertThat(created.body()).as(type + " " + url).contains("outbound_refused");
            }
        }
        assertThat(FORBIDDEN.connectionsFromOthers()).isZero();
    }

    @Test
    void namesRedirectsAndTemplatedUrlsThatReachLoopbackFailTheRunAndTheListenerReceivesNothing() {
        int port = FORBIDDEN.port();
        List<JsonNode> runs = List.of(
                run(Map.of("id", "call", "type", "http", "config", Map.of("url", "http://localhost:" + port + "/")), "x"),
                run(Map.of("id", "call", "type", "http", "config", Map.of("url", "{{in.text}}")), "http://127.0.0.1:" + port + "/"),
                run(Map.of("id", "call", "type", "http", "config", Map.of("url", "{{in.text}}")), "http://0177.1:" + port + "/"),
                run(Map.of("id", "call", "type", "http", "config", Map.of("url", receiver("/to-loopback"))), "x"),
                run(Map.of("id", "call", "type", "webhook", "config", Map.of("url", "http://localhost:" + port + "/hook")), "x"));
        for (JsonNode run : runs) {
            assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("failed");
            assertThat(run.get("error").get("type").asString()).as(run.toString()).isEqualTo("outbound_refused");
            assertThat(run.get("error").get("message").asString()).as(run.toString()).isNotBlank();
        }
        assertThat(FORBIDDEN.connectionsFromOthers()).isZero();
    }
}
