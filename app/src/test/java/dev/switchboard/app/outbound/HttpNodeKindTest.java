package dev.switchboard.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.GraphValidationException;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.WorkflowEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code http} node in a real engine against real sockets: the guard's refusals reach the run as
 * node errors and the loopback listener receives nothing; allow-listed destinations work.
 * (Non-GET methods need the app's {@code SideEffects}; {@code OutboundNodesIT} covers them.)
 */
class HttpNodeKindTest {

    private final LoopbackListener forbidden = new LoopbackListener();
    private final ConcurrentLinkedQueue<String> queries = new ConcurrentLinkedQueue<>();
    private HttpServer api;
    private OutboundHttp http;
    private WorkflowEngine engine;

    @BeforeEach
    void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        api.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        api.createContext("/users", x -> {
            queries.add(String.valueOf(x.getRequestURI().getRawQuery()));
            respond(x, 200, "application/json; charset=utf-8", "{\"name\":\"Ada\",\"tags\":[\"a\",\"b\"]}");
        });
        api.createContext("/text", x -> respond(x, 200, "text/plain", "plain words"));
        api.createContext("/missing", x -> respond(x, 404, "application/json", "{\"error\":\"nope\"}"));
        api.createContext("/big", x -> respond(x, 200, "text/plain", "x".repeat(5000)));
        api.createContext("/to-loopback", x -> {
            x.getResponseHeaders().add("Location", "http://127.0.0.1:" + forbidden.port() + "/");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        api.start();
        // only the fake API's own port is allowed; the listener's port on the same address is not
        http = client(List.of("127.0.0.1:" + api.getAddress().getPort()));
        engine = WorkflowEngine.builder().nodeKind(new HttpNodeKind(http, properties(List.of()), JsonMapper.builder().build()))
                .build();
    }

    @AfterEach
    void stop() {
        engine.close();
        http.close();
        api.stop(0);
        forbidden.close();
    }

    private static OutboundProperties properties(List<String> allow) {
        return new OutboundProperties(allow, false, Duration.ofSeconds(2), Duration.ofSeconds(5), DataSize.ofKilobytes(64), 5, 20);
    }

    /** A client whose resolver knows {@code localhost} and {@code rebind.test} as loopback (no real DNS here). */
    private static OutboundHttp client(List<String> allow) {
        OutboundGuard guard = OutboundGuard.of(allow, host -> switch (host) {
            case "localhost", "rebind.test" -> new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
            case "ip6-localhost" -> new InetAddress[] {InetAddress.getByAddress(host, InetAddress.ofLiteral("::1").getAddress())};
            default -> throw new UnknownHostException(host);
        });
        return new OutboundHttp(guard, properties(allow), Clock.systemUTC());
    }

    private static void respond(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.getResponseHeaders().add("X-Trace", "t-1");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private CompiledGraph graph(String httpConfig) {
        return engine.compile(GraphDefinition.fromJson("""
                {"nodes": [
                  {"id": "in", "type": "input", "config": {"fields": [{"name": "url", "type": "text", "required": false},
                                                                 {"name": "q", "type": "text", "required": false}]}},
                  {"id": "call", "type": "http", "config": %s},
                  {"id": "out", "type": "output", "config": {"values": {"status": "{{call.status}}"}}}],
                 "edges": [{"from": "in", "to": "call"}, {"from": "call", "to": "out"}]}""".formatted(httpConfig)));
    }

    private RunOutcome run(CompiledGraph g, Map<String, ?> inputs) {
        return engine.run(g, RunRequest.of(UUID.randomUUID().toString(), inputs));
    }

    private static Map<String, Object> outputsOf(RunOutcome outcome, String node) {
        NodeResult r = outcome.checkpoints().get(node);
        assertThat(r).as("checkpoint of " + node + " in " + outcome).isInstanceOf(NodeResult.Completed.class);
        return r.outputs();
    }

    private String base() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    @Test
    @SuppressWarnings("unchecked")
    void getsJsonAndExposesStatusHeadersJsonAndText() {
        CompiledGraph g = graph("""
                {"url": "%s/users", "query": {"q": "{{in.q}}", "page": "2"}, "headers": {"Accept": "application/json"}}"""
                .formatted(base()));

        RunOutcome outcome = run(g, Map.of("q", "a&b c/é"));

        assertThat(outcome.status()).as(String.valueOf(outcome.error())).isEqualTo(RunStatus.SUCCEEDED);
        Map<String, Object> out = outputsOf(outcome, "call");
        assertThat(out).containsEntry("status", 200).containsEntry("ok", true);
        assertThat((Map<String, Object>) out.get("json")).containsEntry("name", "Ada").containsEntry("tags", List.of("a", "b"));
        assertThat(out.get("text")).isEqualTo("{\"name\":\"Ada\",\"tags\":[\"a\",\"b\"]}");
        assertThat((Map<String, Object>) out.get("headers")).containsEntry("x-trace", "t-1");
        assertThat(queries).containsExactly("q=a%26b+c%2F%C3%A9&page=2");
        assertThat(outcome.outputs()).containsEntry("status", 200);
    }

    @Test
    void textAnswersHaveNoJsonAndNon2xxFailsUnlessAsked() {
        Map<String, Object> text = outputsOf(run(graph("{\"url\": \"" + base() + "/text\"}"), Map.of()), "call");
        assertThat(text).containsEntry("text", "plain words").doesNotContainKey("json");

        RunOutcome failed = run(graph("{\"url\": \"" + base() + "/missing\"}"), Map.of());
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error().type()).isEqualTo("http_status");
        assertThat(failed.error().message()).contains("HTTP 404");

        Map<String, Object> tolerated = outputsOf(run(graph("{\"url\": \"" + base() + "/missing\", \"failOnStatus\": false}"),
                Map.of()), "call");
        assertThat(tolerated).containsEntry("status", 404).containsEntry("ok", false);
    }

    @Test
    void answersOverTheSizeCapFailTheNode() {
        RunOutcome outcome = run(graph("{\"url\": \"" + base() + "/big\", \"maxResponseBytes\": 1000}"), Map.of());

        assertThat(outcome.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome.error().type()).isEqualTo("http_response_too_large");
    }

    @Test
    void hostileUrlsFromInputsAreRefusedAndTheListenerReceivesNothing() {
        CompiledGraph g = graph("{\"url\": \"{{in.url}}\"}");
        int port = forbidden.port();
        for (String url : List.of("http://127.0.0.1:" + port + "/", "http://2130706433:" + port + "/", "http://0x7f.1:" + port + "/",
                "http://0x7f000001:" + port + "/", "http://0177.0.0.1:" + port + "/", "http://127.1:" + port + "/",
                "http://[::ffff:127.0.0.1]:" + port + "/", "http://[::ffff:7f00:1]:" + port + "/", "http://[::127.0.0.1]:" + port + "/",
                "http://[64:ff9b::7f00:1]:" + port + "/", "http://[2002:7f00:1::]:" + port + "/",
                "http://localhost:" + port + "/", "http://LOCALHOST.:" + port + "/", "http://rebind.test:" + port + "/",
                "http://user@127.0.0.1:" + port + "/", "http://evil.example@127.0.0.1:" + port + "/",
                "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:" + port + "/", "http://[::]:" + port + "/",
                "file:///etc/passwd", "gopher://127.0.0.1:" + port + "/", "http://127.0.0.1%2f:" + port + "/",
                base() + "/to-loopback")) {
            RunOutcome outcome = run(g, Map.of("url", url));

            assertThat(outcome.status()).as(url).isEqualTo(RunStatus.FAILED);
            assertThat(outcome.error().type()).as(url + ": " + outcome.error()).isEqualTo("outbound_refused");
        }
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }

    @Test
    void ipv6LoopbackIsRefusedWhereTheMachineHasIt() {
        InetAddress v6;
        try {
            v6 = Inet6Address.getByAddress("ip6-localhost", InetAddress.ofLiteral("::1").getAddress(), null);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        LoopbackListener listener;
        try {
            listener = new LoopbackListener(v6);
        } catch (UncheckedIOException noIpv6) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + noIpv6.getMessage());
            return;
        }
        try (listener) {
            CompiledGraph g = graph("{\"url\": \"{{in.url}}\"}");
            for (String url : List.of("http://[::1]:" + listener.port() + "/", "http://[0:0:0:0:0:0:0:1]:" + listener.port() + "/",
                    "http://ip6-localhost:" + listener.port() + "/")) {
                RunOutcome outcome = run(g, Map.of("url", url));
                assertThat(outcome.error().type()).as(url).isEqualTo("outbound_refused");
            }
            assertThat(listener.connectionsFromOthers()).isZero();
        }
    }

    @Test
    void literalUrlsAndBadConfigAreRefusedWhenTheGraphIsValidated() {
        assertThatThrownBy(() -> graph("{\"url\": \"http://127.0.0.1:" + forbidden.port() + "/x\"}"))
                .isInstanceOf(GraphValidationException.class)
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> graph("{\"url\": \"http://0x7f.1/\"}")).hasMessageContaining("a.b.c.d");
        assertThatThrownBy(() -> graph("{\"url\": \"http://169.254.169.254/latest/{{in.q}}\"}")).hasMessageContaining("link-local");
        assertThatThrownBy(() -> graph("{\"url\": \"gopher://example.com?q={{in.q}}\"}")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> graph("{\"url\": \"ftp://example.com/\"}")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> graph("{\"url\": \"" + base() + "\", \"method\": \"TRACE\"}")).hasMessageContaining("'method'");
        assertThatThrownBy(() -> graph("{\"url\": \"" + base() + "\", \"body\": \"x\"}")).hasMessageContaining("no body");
        assertThatThrownBy(() -> graph("{\"url\": \"" + base() + "\", \"headers\": {\"Host\": \"internal\"}}"))
                .hasMessageContaining("Host");
        assertThatThrownBy(() -> graph("{\"url\": \"" + base() + "\", \"responseType\": \"xml\"}")).hasMessageContaining("responseType");
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }
}
