package dev.switchboard.app.runs.durable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HTTP servers on loopback for the process tests: an OpenAI-compatible model (chat and legacy
 * completions alike) whose answer
 * takes as long as its model name says ({@code delay-1000} → 1 s), and a webhook sink that counts
 * every delivery by its {@code Idempotency-Key}.
 */
final class LoopbackServers implements AutoCloseable {

    private static final Pattern DELAY = Pattern.compile("\"model\"\\s*:\\s*\"delay-(\\d+)\"");

    private final HttpServer model;
    private final HttpServer sink;
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicInteger deliveries = new AtomicInteger();
    private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();

    LoopbackServers() throws IOException {
        model = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        model.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        model.createContext("/", this::answer); // any path: the gateway decides how it joins the base URL
        model.start();
        sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1000);
        sink.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        sink.createContext("/hook", this::deliver);
        sink.start();
    }

    String modelBaseUrl() {
        return "http://127.0.0.1:" + model.getAddress().getPort() + "/v1";
    }

    String sinkUrl() {
        return "http://127.0.0.1:" + sink.getAddress().getPort() + "/hook";
    }

    /** The sink as a {@code switchboard.outbound.allow} entry: this loopback port only. */
    String sinkHostPort() {
        return "127.0.0.1:" + sink.getAddress().getPort();
    }

    int modelCalls() {
        return modelCalls.get();
    }

    int deliveries() {
        return deliveries.get();
    }

    /** Deliveries per idempotency key ({@code <run>:<node>:webhook}). */
    Map<String, AtomicInteger> deliveriesByKey() {
        return byKey;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = read(exchange.getRequestBody());
        modelCalls.incrementAndGet();
        Matcher m = DELAY.matcher(body);
        long delay = m.find() ? Long.parseLong(m.group(1)) : 0;
        try {
            if (delay > 0) {
                Thread.sleep(delay); // the model "thinks"; the handler runs on its own virtual thread
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] answer = """
                {"id":"c","object":"chat.completion","created":1,"model":"fake",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"the answer"},"text":"the answer",
                             "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try (exchange) {
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (IOException e) {
            // the app gave up waiting (cancelled, timed out, killed)
        }
    }

    private void deliver(HttpExchange exchange) throws IOException {
        read(exchange.getRequestBody());
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        deliveries.incrementAndGet();
        byKey.computeIfAbsent(key == null ? "none" : key, k -> new AtomicInteger()).incrementAndGet();
        try (exchange) {
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        model.stop(0);
        sink.stop(0);
    }
}
