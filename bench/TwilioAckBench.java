// Twilio webhook ack latency with a slow model (issue 5: p99 < 100 ms while the model takes 30 s).
//
// Starts a fake OpenAI-compatible model that answers after MODEL_DELAY (default 30 s) and a fake
// Twilio REST API (JDK HttpServer, loopback), starts the packaged app pointed at both, creates and
// publishes "SMS in → ai → SMS out", then sends Twilio-signed webhooks open-loop at RATE per second
// for DURATION seconds (each at its scheduled time, so a slow answer cannot hold back later sends:
// latency counts from the scheduled time). Prints ack latency percentiles, then waits for the
// replies to reach the fake Twilio. Run through bench/twilio-ack.sh.
//
// Single-file program (java bench/TwilioAckBench.java); JDK only.

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class TwilioAckBench {

    static final String KEY = "bench-admin-key-0123456789abcdef";
    static final String ACCOUNT = "AC" + "b".repeat(32);
    static final String TOKEN = "bench-auth-token-0123456789abcdef";
    static final String NUMBER = "+15005550006";

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(env("RATE", "10"));
        int duration = Integer.parseInt(env("DURATION", "60"));
        int warmup = Integer.parseInt(env("WARMUP", "10"));
        int modelDelay = Integer.parseInt(env("MODEL_DELAY", "30"));
        int port = Integer.parseInt(env("PORT", "18090"));
        String jar = env("JAR", "app/target/switchboard.jar");

        AtomicInteger smsReceived = new AtomicInteger();
        AtomicInteger modelCalls = new AtomicInteger();
        HttpServer model = fakeModel(modelDelay, modelCalls);
        HttpServer twilio = fakeTwilio(smsReceived);
        Path data = Files.createTempDirectory("switchboard-twilio-bench-");
        Process app = startApp(jar, port, data, model.getAddress().getPort(), twilio.getAddress().getPort());
        Runtime.getRuntime().addShutdownHook(new Thread(app::destroy));
        try {
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(base, app);
            String appId = createApp(base);
            System.out.printf("machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/loadavg")).strip());
            System.out.printf("model answers after %d s; webhooks at %d/s; warm-up %d s, measured %d s%n",
                    modelDelay, rate, warmup, duration);
            drive(base, appId, rate, warmup, "w");
            List<Long> latencies = drive(base, appId, rate, duration, "m");
            report(latencies, rate * duration);
            int expected = rate * (warmup + duration);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(modelDelay + 60);
            while (smsReceived.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            System.out.printf("replies sent to Twilio: %d of %d messages (model calls: %d)%n", smsReceived.get(), expected,
                    modelCalls.get());
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            metrics.body().lines().filter(l -> l.startsWith("switchboard_runs_total") && l.contains("source=\"twilio\"")
                    || l.startsWith("switchboard_twilio_ack_seconds{") || l.startsWith("switchboard_twilio_sends_total"))
                    .forEach(l -> System.out.println("  " + l));
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
            model.stop(0);
            twilio.stop(0);
        }
    }

    /** Sends {@code rate} webhooks per second for {@code seconds}, each on time; returns ack latencies (ns). */
    static List<Long> drive(String base, String appId, int rate, int seconds, String tag) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicLong seq = new AtomicLong();
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        int total = rate * seconds;
        List<Thread> threads = new ArrayList<>(total);
        String url = base + "/twilio/sms/" + appId;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * intervalNanos;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long n = seq.incrementAndGet();
            threads.add(Thread.ofVirtual().start(() -> {
                Map<String, String> p = new LinkedHashMap<>();
                p.put("MessageSid", "SM" + tag + String.format("%031d", n));
                p.put("AccountSid", ACCOUNT);
                p.put("From", "+1415555" + String.format("%04d", n % 10000));
                p.put("To", NUMBER);
                p.put("Body", "Question number " + n + ": what is the meaning of life?");
                p.put("NumMedia", "0");
                p.put("ApiVersion", "2010-04-01");
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("X-Twilio-Signature", sign(url, p))
                        .POST(HttpRequest.BodyPublishers.ofString(form(p))).build();
                try {
                    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    long latency = System.nanoTime() - scheduled;
                    if (r.statusCode() == 200 && r.body().contains("<Response")) {
                        latencies.add(latency);
                    } else {
                        failures.incrementAndGet();
                        System.err.println("unexpected ack " + r.statusCode() + ": " + r.body());
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    System.err.println("webhook failed: " + e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            System.out.println("failed webhooks: " + failures.get());
        }
        return new ArrayList<>(latencies);
    }

    static void report(List<Long> nanos, int sent) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("acks: %d of %d, all 200 <Response/>%n", sorted.size(), sent);
        System.out.printf("ack latency ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9), sorted.getLast() / 1e6);
    }

    static double pct(List<Long> sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }

    static HttpServer fakeModel(int delaySeconds, AtomicInteger calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/chat/completions", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            calls.incrementAndGet();
            try {
                Thread.sleep(Duration.ofSeconds(delaySeconds));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = """
                    {"id":"c","object":"chat.completion","created":1,"model":"slow",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"Forty-two."},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    static HttpServer fakeTwilio(AtomicInteger received) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/2010-04-01/Accounts/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            int n = received.incrementAndGet();
            byte[] body = ("{\"sid\": \"SM" + String.format("%032x", n) + "\", \"status\": \"queued\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    static Process startApp(String jar, int port, Path data, int modelPort, int twilioPort) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String flags = env("SB_JVM_FLAGS", "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED");
        String opts = env("JAVA_OPTS", "-XX:+UseZGC");
        for (String f : (flags + " " + opts).trim().split("\\s+")) {
            command.add(f);
        }
        command.addAll(List.of("-jar", jar, "--server.port=" + port, "--switchboard.data-dir=" + data,
                "--switchboard.api-key=" + KEY, "--switchboard.demo.enabled=false", "--logging.level.root=WARN",
                "--switchboard.gateway.providers.slow.type=openai-compatible",
                "--switchboard.gateway.providers.slow.base-url=http://127.0.0.1:" + modelPort + "/v1",
                "--switchboard.gateway.providers.slow.api-key=sk-bench",
                "--switchboard.twilio.api-base-url=http://127.0.0.1:" + twilioPort));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(data.resolve("app.log").toFile()).start();
    }

    static void awaitHealthy(String base, Process app) throws Exception {
        for (int i = 0; i < 480; i++) {
            if (!app.isAlive()) {
                throw new IllegalStateException("the app did not start; see its log in the temp data dir");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the app did not become healthy");
    }

    static String createApp(String base) throws Exception {
        String created = api(base, "POST", "/api/v1/apps", """
                {"name": "sms bench", "graph": {
                  "nodes": [
                    {"id": "in", "type": "input", "config": {}},
                    {"id": "ai", "type": "ai", "config": {"model": "slow/slow", "maxTokens": 32,
                      "messages": [{"role": "user", "content": "{{trigger.Body}}"}]}},
                    {"id": "reply", "type": "sms", "config": {"body": "{{ai.text}}"}},
                    {"id": "out", "type": "output", "config": {"values": {"sid": "{{reply.sid}}"}}}],
                  "edges": [{"from": "in", "to": "ai"}, {"from": "ai", "to": "reply"}, {"from": "reply", "to": "out"}]}}""");
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        if (!m.find()) {
            throw new IllegalStateException("could not create the app: " + created);
        }
        String appId = m.group(1);
        api(base, "POST", "/api/v1/apps/" + appId + "/publish", "");
        api(base, "PUT", "/api/v1/apps/" + appId + "/twilio",
                "{\"accountSid\": \"" + ACCOUNT + "\", \"authToken\": \"" + TOKEN + "\", \"phoneNumber\": \"" + NUMBER + "\"}");
        return appId;
    }

    static String api(String base, String method, String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static String sign(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> params) {
        List<String> pairs = new ArrayList<>();
        params.forEach((k, v) -> pairs.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
