package dev.switchboard.app.bench;

import dev.switchboard.app.SwitchboardApplication;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Added latency of the app's OpenAI-compatible endpoint ({@code POST /v1/chat/completions}) over
 * calling a loopback OpenAI mock directly, under open-loop load at a fixed rate. The app path is
 * everything a client of Switchboard pays for: HTTP in Tomcat (virtual threads), API-key
 * authentication, body parsing and validation, the gateway (budget check against the PostgreSQL
 * budget store, limits, breaker, bulkhead, time limit), the upstream HTTP call, pricing, charging
 * and metrics, and writing the OpenAI response. The direct path is the same JDK HttpClient sending
 * the same body to the mock. Latency is measured from each request's scheduled start (no
 * coordinated omission). The app runs in this JVM with its embedded PostgreSQL.
 *
 * <p>Run: {@code bench/openai-overhead.sh [rate=200] [measureSeconds=20] [warmupSeconds=10]}.
 */
public final class OpenAiEndpointOverheadBenchmark {

    private static final String KEY = "bench-admin-key-0123456789abcdef";
    private static final String ANSWER = """
            {"id":"chatcmpl-bench","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18",
             "choices":[{"index":0,"message":{"role":"assistant","content":"The sentiment is positive: the food \
            was delicious and the service excellent.","refusal":null},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":42,"completion_tokens":14,"total_tokens":56}}
            """;

    private OpenAiEndpointOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int status = 0;
        try {
            measure(args);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static void measure(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int measureSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int warmupSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;

        LoopbackMock mock = new LoopbackMock(ANSWER);
        String mockBase = "http://127.0.0.1:" + mock.port();
        ConfigurableApplicationContext app = SpringApplication.run(SwitchboardApplication.class,
                "--server.port=0", "--switchboard.data-dir=" + Files.createTempDirectory("switchboard-bench-"),
                "--switchboard.api-key=" + KEY, "--switchboard.demo.enabled=false", "--logging.level.root=WARN",
                "--switchboard.gateway.providers.openai.base-url=" + mockBase + "/v1",
                "--switchboard.gateway.providers.openai.api-key=sk-bench-0123456789",
                "--switchboard.gateway.providers.openai.requests-per-minute=10000000",
                "--switchboard.gateway.providers.openai.max-concurrent-calls=100000");
        int appPort = ((WebServerApplicationContext) app).getWebServer().getPort();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Text: The food was delicious and "
                + "the service was excellent.\\nSentiment?\"}],\"max_tokens\":64,\"temperature\":0.7}";
        HttpRequest direct = HttpRequest.newBuilder(URI.create(mockBase + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer sk-bench-0123456789")
                .POST(HttpRequest.BodyPublishers.ofString(body.formatted("gpt-4o-mini"))).build();
        HttpRequest viaApp = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + appPort + "/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body.formatted("openai/gpt-4o-mini"))).build();
        Call directCall = () -> expect(client.send(direct, HttpResponse.BodyHandlers.ofByteArray()), "chatcmpl-bench");
        Call appCall = () -> expect(client.send(viaApp, HttpResponse.BodyHandlers.ofByteArray()), "\"completion_tokens\":14");

        System.out.printf("JIT warm-up: %d calls per path (8 concurrent); then open-loop load at %d requests/s: "
                + "warm-up %d s per path, then 2 x %d s per path%n", JIT_WARMUP_CALLS, rate, warmupSeconds, measureSeconds / 2);
        burst(directCall);
        burst(appCall);
        run(rate, warmupSeconds, directCall, null);
        run(rate, warmupSeconds, appCall, null);
        Histogram directLatency = new ConcurrentHistogram(3);
        Histogram appLatency = new ConcurrentHistogram(3);
        for (int round = 0; round < 2; round++) {
            run(rate, measureSeconds / 2, directCall, directLatency);
            run(rate, measureSeconds / 2, appCall, appLatency);
        }
        report(directLatency, appLatency);
        client.shutdownNow();
        app.close();
        mock.close();
    }

    private static void expect(HttpResponse<byte[]> r, String marker) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() != 200 || !text.contains(marker)) {
            throw new IllegalStateException("unexpected answer " + r.statusCode() + ": " + text);
        }
    }

    /** Calls per path before the timed phases, so both paths are compiled by C2 whatever the rate. */
    private static final int JIT_WARMUP_CALLS = 20_000;

    private static void burst(Call call) throws Exception {
        AtomicReference<Exception> failure = new AtomicReference<>();
        AtomicLong next = new AtomicLong();
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int worker = 0; worker < 8; worker++) {
                exec.execute(() -> {
                    while (next.getAndIncrement() < JIT_WARMUP_CALLS && failure.get() == null) {
                        try {
                            call.run();
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                });
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    /** Starts one call every {@code 1/rate} seconds on its own virtual thread, whatever the previous ones do. */
    private static void run(int rate, int seconds, Call call, Histogram latencies) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long total = (long) rate * seconds;
        AtomicLong failures = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
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

    private static void report(Histogram direct, Histogram app) {
        System.out.printf("%-10s %10s %10s %10s%n", "percentile", "direct ms", "/v1 ms", "added ms");
        for (double p : new double[] {50, 90, 99, 99.9}) {
            double d = direct.getValueAtPercentile(p) / 1e6;
            double a = app.getValueAtPercentile(p) / 1e6;
            System.out.printf("p%-9s %10.3f %10.3f %10.3f%n", p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p),
                    d, a, a - d);
        }
        System.out.printf("%-10s %10.3f %10.3f %10.3f%n", "mean", direct.getMean() / 1e6, app.getMean() / 1e6,
                (app.getMean() - direct.getMean()) / 1e6);
        System.out.printf("%-10s %10.3f %10.3f%n", "max", direct.getMaxValue() / 1e6, app.getMaxValue() / 1e6);
        System.out.printf("samples: direct %d, /v1 %d%n", direct.getTotalCount(), app.getTotalCount());
    }

    /**
     * A minimal keep-alive HTTP/1.1 server on virtual threads answering every request with the canned body (as in
     * model-gateway's GatewayOverheadBenchmark: the JDK HttpServer's idle-connection closing would be measured instead).
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
                int contentLength;
                while ((contentLength = readHead(in)) >= 0) {
                    in.readNBytes(contentLength);
                    out.write(response);
                    out.flush();
                }
            } catch (IOException e) {
                // the client closed the connection
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
}
