package dev.switchboard.app.outbound;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.engine.Cancellation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.HdrHistogram.Histogram;
import org.springframework.util.unit.DataSize;

/**
 * What the outbound guard adds to one request, closed loop on loopback (one client thread): the JDK
 * client straight to a server (keep-alive; the baseline), the same client through {@link GuardedProxy}
 * (workspace model endpoints: plain HTTP is one exchange per proxied connection, so each request
 * pays a new connection to the proxy and one from it), and {@link OutboundHttp} (http and webhook
 * nodes: guard check, resolver hook, pooled connection). Prints p50/p99/max in microseconds.
 *
 * <p>Run: {@code bench/outbound-overhead.sh [requests=20000]}.
 */
public final class OutboundOverheadBenchmark {

    private OutboundOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        byte[] answer = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"hi\"}}]}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", x -> {
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions";
        List<String> allow = List.of("127.0.0.1:" + server.getAddress().getPort());
        OutboundGuard guard = OutboundGuard.of(allow);
        OutboundProperties properties = new OutboundProperties(allow, false, Duration.ofSeconds(5), Duration.ofSeconds(30),
                DataSize.ofMegabytes(1), 5, 200);
        byte[] body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}".getBytes(StandardCharsets.UTF_8);
        try (HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             GuardedProxy proxy = new GuardedProxy(guard, Duration.ofSeconds(5));
             HttpClient proxied = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).proxy(proxy.selector()).build();
             OutboundHttp outbound = new OutboundHttp(guard, properties, Clock.systemUTC())) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            OutboundTarget target = guard.check(url);
            OutboundHttp.Request nodeRequest = new OutboundHttp.Request("POST", target, Map.of(), body, "application/json",
                    Duration.ofSeconds(10), 0, 1 << 20);
            Step jdkDirect = () -> direct.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Step jdkProxied = () -> proxied.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Step node = () -> outbound.send(nodeRequest, Cancellation.NONE);
            for (int round = 0; round < 2; round++) { // the first round warms up
                boolean report = round == 1;
                measure("JDK client, direct (keep-alive)", jdkDirect, requests, report);
                measure("JDK client through GuardedProxy", jdkProxied, requests, report);
                measure("OutboundHttp (guarded resolver, pooled)", node, requests, report);
            }
        } finally {
            server.stop(0);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }

    private static void measure(String name, Step step, int requests, boolean report) throws Exception {
        Histogram h = new Histogram(3);
        long start = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            long t = System.nanoTime();
            step.run();
            h.recordValue((System.nanoTime() - t) / 1000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (report) {
            System.out.printf("%-42s p50 %6d us  p99 %6d us  max %7d us  %8.0f req/s%n", name, h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99), h.getMaxValue(), requests / seconds);
        }
    }
}
