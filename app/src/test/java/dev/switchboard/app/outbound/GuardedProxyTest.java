package dev.switchboard.app.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy that puts the model gateway's JDK client behind the guard, driven by a real JDK
 * {@link HttpClient} (as the gateway uses it) and raw sockets.
 */
class GuardedProxyTest {

    private final LoopbackListener forbidden = new LoopbackListener();
    private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private HttpServer model;
    private GuardedProxy proxy;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        model = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        model.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        model.createContext("/v1/chat/completions", x -> {
            seen.add(x.getRequestMethod() + " " + x.getRequestURI() + " host=" + x.getRequestHeaders().getFirst("Host"));
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        model.start();
        OutboundGuard guard = OutboundGuard.of(List.of("127.0.0.1:" + model.getAddress().getPort(), "models.internal"), host -> {
            lookups.incrementAndGet();
            return switch (host) {
                case "models.internal", "localhost", "rebind.test" ->
                        new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
                default -> throw new UnknownHostException(host);
            };
        });
        proxy = new GuardedProxy(guard, Duration.ofSeconds(2));
        client = HttpClient.newBuilder().proxy(proxy.selector()).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        model.stop(0);
        forbidden.close();
    }

    private HttpResponse<String> post(String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void allowedEndpointsAreReachedInOriginFormWithTheirHostHeader() throws Exception {
        int port = model.getAddress().getPort();

        HttpResponse<String> first = post("http://127.0.0.1:" + port + "/v1/chat/completions?x=1");
        HttpResponse<String> byName = post("http://models.internal:" + port + "/v1/chat/completions");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"ok\":true}");
        assertThat(byName.statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly("POST /v1/chat/completions?x=1 host=127.0.0.1:" + port,
                "POST /v1/chat/completions host=models.internal:" + port);
    }

    @Test
    void backToBackRequestsNeverRideAConnectionTheServerIsClosing() throws Exception {
        String url = "http://127.0.0.1:" + model.getAddress().getPort() + "/v1/chat/completions";
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> r = post(url);

            assertThat(r.statusCode()).as("request " + i).isEqualTo(200);
            assertThat(r.headers().firstValue("Connection")).as("the client must not pool it").contains("close");
        }
    }

    @Test
    void refusedDestinationsGetAForbiddenAnswerNamingWhyAndTheListenerReceivesNothing() throws Exception {
        int port = forbidden.port();
        for (String url : List.of("http://127.0.0.1:" + port + "/v1/chat/completions", "http://localhost:" + port + "/v1/x",
                "http://rebind.test:" + port + "/v1/x", "http://[::ffff:127.0.0.1]:" + port + "/v1/x",
                "http://169.254.169.254/latest/meta-data/")) {
            HttpResponse<String> r = post(url);

            assertThat(r.statusCode()).as(url).isEqualTo(403);
            assertThat(r.body()).as(url).contains("outbound guard refused").contains("not a public address");
        }
        // HTTPS goes through CONNECT, which is refused before any byte reaches the destination
        assertThatThrownBy(() -> post("https://localhost:" + port + "/v1/x")).isInstanceOf(IOException.class);
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }

    @Test
    void aTunnelResolvesItsHostOnceAndConnectsToWhatItVetted() throws Exception {
        int port = model.getAddress().getPort();
        lookups.set(0);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("CONNECT models.internal:" + port + " HTTP/1.1\r\nHost: models.internal:" + port + "\r\n\r\n"
                    + "POST /v1/chat/completions HTTP/1.1\r\nHost: models.internal\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 200 Connection Established\r\n\r\nHTTP/1.1 200");
            assertThat(answer).endsWith("{\"ok\":true}");
        }
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aTunnelToAForbiddenAddressIsRefused() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.getOutputStream().write(("CONNECT 127.0.0.1:" + forbidden.port() + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 403").contains("loopback");
        }
        assertThat(forbidden.connectionsFromOthers()).isZero();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
