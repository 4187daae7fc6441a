package dev.switchboard.gateway.bench;

import dev.switchboard.gateway.CallContext;
import dev.switchboard.gateway.ChatMessage;
import dev.switchboard.gateway.GatewayConfig;
import dev.switchboard.gateway.InMemoryBudgetStore;
import dev.switchboard.gateway.ModelGateway;
import dev.switchboard.gateway.ModelRequest;
import dev.switchboard.gateway.ModelResponse;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.RateLimitConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Added latency of the gateway over calling a loopback OpenAI mock directly, under open-loop load at a fixed rate
 * (default 1,000 requests/s). Latency is measured from each request's scheduled start, so a stalled client is
 * charged for the requests it delays (no coordinated omission).
 *
 * <p>The direct client sends pre-serialized bytes with the JDK HttpClient and reads the body without parsing it;
 * the gateway call builds the request, goes through validation, budget check, workspace and deployment RPM/TPM
 * limits, circuit breaker, bulkhead, time limiter, JSON parsing, pricing, budget charge and Micrometer metrics.
 * Phases alternate (direct, gateway, direct, gateway) after a warm-up of both.
 *
 * <p>Run: {@code model-gateway/bench/overhead.sh [rate] [measureSeconds] [warmupSeconds]}.
 */
public final class GatewayOverheadBenchmark {

    private static final String ANSWER = """
            {"id":"chatcmpl-bench","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"The sentiment is positive: the food \
            was delicious and the service excellent.","refusal":null},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":42,"completion_tokens":14,"total_tokens":56}}
            """;

    private GatewayOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            measure(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        // the HTTP server and client threads are not daemons
        System.exit(status);
    }

    private static void measure(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int measureSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int warmupSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;

        LoopbackMock server = new LoopbackMock(ANSWER);
        String base = "http://127.0.0.1:" + server.port();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] body = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Text: The food was "
                + "delicious and the service was excellent.\\nSentiment?\"}],\"max_tokens\":64,\"temperature\":0.7}")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest directRequest = HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer sk-bench-0123456789")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        InMemoryBudgetStore budgets = new InMemoryBudgetStore().limit("bench", new BigDecimal("1000000"));
        ModelGateway gateway = ModelGateway.builder()
                .config(GatewayConfig.builder()
                        .provider("openai", ProviderConfig.of("openai", URI.create(base + "/v1"), "sk-bench-0123456789")
                                .withLimits(100_000, 10_000_000, 1_000_000_000))
                        .workspaceLimits(new RateLimitConfig(10_000_000, 1_000_000_000))
                        .build())
                .meterRegistry(new SimpleMeterRegistry())
                .budgetStore(budgets)
                .build();
        ModelRequest request = ModelRequest.builder().model("openai/gpt-4o-mini")
                .messages(List.of(ChatMessage.user("Text: The food was delicious and the service was excellent.\n"
                        + "Sentiment?"))).maxTokens(64).temperature(0.7).build();
        CallContext context = CallContext.of("bench");

        Call direct = () -> {
            HttpResponse<byte[]> r = client.send(directRequest, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("mock answered " + r.statusCode());
            }
        };
        Call viaGateway = () -> {
            ModelResponse r = gateway.call(request, context);
            if (r.usage().outputTokens() != 14) {
                throw new IllegalStateException("unexpected answer " + r);
            }
        };

        System.out.printf("open-loop load at %d requests/s; warm-up %d s per path, then 2 x %d s per path%n",
                rate, warmupSeconds, measureSeconds / 2);
        run(rate, warmupSeconds, direct, null);
        run(rate, warmupSeconds, viaGateway, null);
        Histogram directLatency = new ConcurrentHistogram(3);
        Histogram gatewayLatency = new ConcurrentHistogram(3);
        for (int round = 0; round < 2; round++) {
            run(rate, measureSeconds / 2, direct, directLatency);
            run(rate, measureSeconds / 2, viaGateway, gatewayLatency);
        }
        report(directLatency, gatewayLatency);
        gateway.close();
        client.shutdownNow();
        server.close();
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    /**
     * A minimal keep-alive HTTP/1.1 server on virtual threads that answers every request with the canned body. The
     * JDK's HttpServer closes idle connections on its own schedule, which races with client connection reuse and
     * would measure that race instead of the gateway.
     */
    private static final class LoopbackMock implements AutoCloseable {
        private final ServerSocket server;
        private final byte[] response;

        LoopbackMock(String body) throws IOException {
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + payload.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            response = new byte[head.length + payload.length];
            System.arraycopy(head, 0, response, 0, head.length);
            System.arraycopy(payload, 0, response, head.length, payload.length);
            server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                 OutputStream out = socket.getOutputStream()) {
                while (true) {
                    int contentLength = readHead(in);
                    if (contentLength < 0) {
                        return;
                    }
                    in.readNBytes(contentLength);
                    out.write(response);
                    out.flush();
                }
            } catch (IOException e) {
                // client closed the connection
            }
        }

        /** Reads a request head; returns its Content-Length, or -1 at end of stream. */
        private static int readHead(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            int contentLength = 0;
            boolean any = false;
            int c;
            while ((c = in.read()) != -1) {
                any = true;
                if (c == '\n') {
                    if (line.isEmpty()) {
                        return contentLength;
                    }
                    String l = line.toString();
                    if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                        contentLength = Integer.parseInt(l.substring(15).strip());
                    }
                    line.setLength(0);
                } else if (c != '\r') {
                    line.append((char) c);
                }
            }
            return any ? contentLength : -1;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /** Starts one call every {@code 1/rate} seconds on its own virtual thread, whatever the previous ones do. */
    private static void run(int rate, int seconds, Call call, Histogram latencies) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long total = (long) rate * seconds;
        AtomicLong failures = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<Exception> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        long start = System.nanoTime() + 1_000_000;
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long i = 0; i < total; i++) {
                long intended = start + i * interval;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                exec.execute(() -> {
                    try {
                        call.run();
                        if (latencies != null) {
                            latencies.recordValue(System.nanoTime() - intended);
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                });
            }
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + total + " calls failed", firstFailure.get());
        }
    }

    private static void report(Histogram direct, Histogram gateway) {
        double[] ps = {50, 90, 99, 99.9};
        System.out.printf("%-10s %10s %10s %10s%n", "percentile", "direct ms", "gateway ms", "added ms");
        for (double p : ps) {
            double d = direct.getValueAtPercentile(p) / 1e6;
            double g = gateway.getValueAtPercentile(p) / 1e6;
            System.out.printf("p%-9s %10.3f %10.3f %10.3f%n", trim(p), d, g, g - d);
        }
        System.out.printf("%-10s %10.3f %10.3f %10.3f%n", "mean", direct.getMean() / 1e6, gateway.getMean() / 1e6,
                (gateway.getMean() - direct.getMean()) / 1e6);
        System.out.printf("%-10s %10.3f %10.3f%n", "max", direct.getMaxValue() / 1e6, gateway.getMaxValue() / 1e6);
        System.out.printf("samples: direct %d, gateway %d%n", direct.getTotalCount(), gateway.getTotalCount());
        double added50 = (gateway.getValueAtPercentile(50) - direct.getValueAtPercentile(50)) / 1e6;
        double added99 = (gateway.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1e6;
        System.out.printf("targets: added p50 <= 0.200 ms: %s (%.3f); added p99 <= 2.000 ms: %s (%.3f)%n",
                added50 <= 0.2 ? "met" : "MISSED", added50, added99 <= 2.0 ? "met" : "MISSED", added99);
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p);
    }
}
