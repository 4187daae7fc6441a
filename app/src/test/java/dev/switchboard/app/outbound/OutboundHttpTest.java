package dev.switchboard.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.app.outbound.OutboundException.Failure;
import dev.switchboard.engine.Cancellation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The guarded client against real sockets on loopback. */
class OutboundHttpTest {

    private final LoopbackListener forbidden = new LoopbackListener();
    private HttpServer server;
    private HttpServer other;
    private final ConcurrentLinkedQueue<String> authorizationsSeenByOther = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ok", x -> respond(x, 200, "application/json", "{\"hello\":\"world\"}"));
        server.createContext("/to-forbidden", x -> redirect(x, "http://127.0.0.1:" + forbidden.port() + "/"));
        server.createContext("/to-other", x -> redirect(x, "http://127.0.0.1:" + other.getAddress().getPort() + "/echo"));
        server.createContext("/to-self", x -> redirect(x, "/ok"));
        server.createContext("/loop", x -> redirect(x, "/loop"));
        server.createContext("/big", x -> respond(x, 200, "text/plain", "x".repeat(2 * 1024 * 1024)));
        server.createContext("/big-chunked", x -> {
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                byte[] block = new byte[64 * 1024];
                for (int i = 0; i < 64; i++) {
                    out.write(block);
                }
            } catch (IOException clientGaveUp) {
                // expected: the client aborts past its limit
            }
        });
        server.createContext("/gzip-bomb", x -> {
            x.getResponseHeaders().add("Content-Encoding", "gzip");
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = new GZIPOutputStream(x.getResponseBody())) {
                byte[] zeros = new byte[1024 * 1024];
                for (int i = 0; i < 100; i++) {
                    out.write(zeros);
                }
            } catch (IOException clientGaveUp) {
                // expected
            }
        });
        server.createContext("/trickle", x -> {
            x.sendResponseHeaders(200, 0);
            OutputStream out = x.getResponseBody();
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            var task = trickle.scheduleAtFixedRate(() -> {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException gone) {
                    done.countDown();
                    throw new IllegalStateException("client gone");
                }
            }, 0, 50, TimeUnit.MILLISECONDS);
            try {
                done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                task.cancel(true);
            }
        });
        server.start();
        other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        other.createContext("/echo", x -> {
            authorizationsSeenByOther.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
            respond(x, 200, "text/plain", "other");
        });
        other.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        other.stop(0);
        trickle.shutdownNow();
        forbidden.close();
    }

    private static void respond(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void redirect(HttpExchange x, String location) throws IOException {
        x.getResponseHeaders().add("Location", location);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private OutboundHttp client(List<String> allow) {
        return client(allow, OutboundGuard.HostResolver.SYSTEM);
    }

    private OutboundHttp client(List<String> allow, OutboundGuard.HostResolver resolver) {
        OutboundProperties props = new OutboundProperties(allow, false, Duration.ofSeconds(2), Duration.ofSeconds(10),
                DataSize.ofMegabytes(1), 5, 20);
        return new OutboundHttp(OutboundGuard.of(props.effectiveAllow(), resolver), props, Clock.systemUTC());
    }

    private static OutboundHttp.Response get(OutboundHttp http, String url) throws Exception {
        return get(http, url, Map.of(), Duration.ofSeconds(10));
    }

    private static OutboundHttp.Response get(OutboundHttp http, String url, Map<String, String> headers, Duration timeout)
            throws Exception {
        return http.send(new OutboundHttp.Request("GET", http.guard().check(url), headers, null, null, timeout, 5,
                1024 * 1024), Cancellation.NONE);
    }

    private String serverUrl(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private String allowServer() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void refusesLoopbackInEverySpellingAndTheListenerReceivesNothing() {
        int p = forbidden.port();
        try (OutboundHttp http = client(List.of())) {
            for (String url : List.of("http://127.0.0.1:" + p + "/", "http://localhost:" + p + "/", "http://0.0.0.0:" + p + "/",
                    "http://[::ffff:127.0.0.1]:" + p + "/", "http://[::1]:" + p + "/", "http://2130706433:" + p + "/",
                    "http://0x7f000001:" + p + "/", "http://127.1:" + p + "/", "http://0177.0.0.1:" + p + "/",
                    "http://evil@127.0.0.1:" + p + "/", "http://127.0.0.1.:" + p + "/")) {
                assertThatThrownBy(() -> get(http, url)).as(url)
                        .satisfiesAnyOf(e -> assertThat(e).isInstanceOf(OutboundRefusedException.class),
                                e -> assertThat(((OutboundException) e).failure()).isEqualTo(Failure.REFUSED));
            }
        }
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }

    @Test
    void anAllowListEntryForOnePortOpensThatPortOnly() throws Exception {
        try (OutboundHttp http = client(List.of(allowServer()))) {
            OutboundHttp.Response ok = get(http, serverUrl("/ok"));

            assertThat(ok.status()).isEqualTo(200);
            assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo("{\"hello\":\"world\"}");
            assertThat(ok.mediaType()).isEqualTo("application/json");
            assertThat(ok.headers()).containsEntry("content-type", "application/json");
            assertThatThrownBy(() -> get(http, "http://127.0.0.1:" + forbidden.port() + "/"))
                    .isInstanceOf(OutboundException.class).hasMessageContaining("loopback");
        }
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }

    @Test
    void aNameThatRebindsToLoopbackAfterItsCheckIsRefusedAtConnect() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        OutboundGuard.HostResolver rebinding = host -> new InetAddress[] {
                InetAddress.ofLiteral(lookups.incrementAndGet() == 1 ? "93.184.215.14" : "127.0.0.1")};
        try (OutboundHttp http = client(List.of(), rebinding)) {
            String url = "http://rebind.example:" + forbidden.port() + "/";
            assertThat(http.guard().refusal(java.net.URI.create(url))).as("checked when saved: public").isEmpty();

            assertThatThrownBy(() -> get(http, url)).isInstanceOf(OutboundException.class)
                    .hasMessageContaining("resolves to 127.0.0.1");
        }
        assertThat(lookups).hasValue(2);
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }

    @Test
    void aConnectionUsesTheAddressItsOneLookupReturned() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // the first answer is the allowed fake; any later lookup would point at the forbidden listener's address
        OutboundGuard.HostResolver resolver = host -> new InetAddress[] {
                InetAddress.ofLiteral(lookups.incrementAndGet() == 1 ? "127.0.0.1" : "127.0.0.2")};
        try (OutboundHttp http = client(List.of("127.0.0.1:" + server.getAddress().getPort()), resolver)) {
            OutboundHttp.Response ok = get(http, "http://fake.example:" + server.getAddress().getPort() + "/ok");

            assertThat(ok.status()).isEqualTo(200);
            assertThat(lookups).as("one lookup per connection").hasValue(1);
        }
    }

    @Test
    void aRedirectToAForbiddenAddressIsNotFollowed() {
        try (OutboundHttp http = client(List.of(allowServer()))) {
            assertThatThrownBy(() -> get(http, serverUrl("/to-forbidden"))).isInstanceOf(OutboundException.class)
                    .satisfies(e -> assertThat(((OutboundException) e).failure()).isEqualTo(Failure.REFUSED))
                    .hasMessageContaining("redirected to a URL that is not allowed");
        }
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }

    @Test
    void redirectsAreFollowedPerHopAndCredentialsStayWithTheirOrigin() throws Exception {
        try (OutboundHttp http = client(List.of(allowServer(), "127.0.0.1:" + other.getAddress().getPort()))) {
            OutboundHttp.Response same = get(http, serverUrl("/to-self"), Map.of("Authorization", "Bearer s3cret"), Duration.ofSeconds(5));
            assertThat(same.status()).isEqualTo(200);
            assertThat(same.url().getPath()).isEqualTo("/ok");

            OutboundHttp.Response moved = get(http, serverUrl("/to-other"), Map.of("Authorization", "Bearer s3cret"), Duration.ofSeconds(5));
            assertThat(moved.status()).isEqualTo(200);
            assertThat(authorizationsSeenByOther).containsExactly("null");

            assertThatThrownBy(() -> get(http, serverUrl("/loop"))).isInstanceOf(OutboundException.class)
                    .hasMessageContaining("redirected more than 5 times");
        }
    }

    @Test
    void responsesOverTheLimitFailWithoutReadingThemWhole() {
        try (OutboundHttp http = client(List.of(allowServer()))) {
            for (String path : List.of("/big", "/big-chunked", "/gzip-bomb")) {
                assertThatThrownBy(() -> get(http, serverUrl(path))).as(path).isInstanceOf(OutboundException.class)
                        .satisfies(e -> assertThat(((OutboundException) e).failure()).isEqualTo(Failure.TOO_LARGE));
            }
        }
    }

    @Test
    void aServerThatTricklesBytesIsCutOffAtTheDeadline() {
        try (OutboundHttp http = client(List.of(allowServer()))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> get(http, serverUrl("/trickle"), Map.of(), Duration.ofMillis(500)))
                    .isInstanceOf(OutboundException.class)
                    .satisfies(e -> assertThat(((OutboundException) e).failure()).isEqualTo(Failure.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void restrictedHeadersAreRefused() {
        try (OutboundHttp http = client(List.of(allowServer()))) {
            for (String header : List.of("Host", "Content-Length", "Transfer-Encoding", "connection")) {
                assertThatThrownBy(() -> get(http, serverUrl("/ok"), Map.of(header, "x"), Duration.ofSeconds(5)))
                        .as(header).isInstanceOf(OutboundException.class).hasMessageContaining("may not be set");
            }
        }
    }
}
