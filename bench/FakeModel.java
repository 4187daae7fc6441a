// A fake OpenAI-compatible model server and webhook sink on loopback, for bench/async-load.sh.
//   java bench/FakeModel.java PORT
// POST /v1/chat/completions, /v1/completions: answers after the delay the model name asks for
//   ("delay-50" → 50 ms; no delay otherwise), in both the chat and the legacy shape.
// POST /hook: 204, counted by Idempotency-Key.   GET /stats: {"modelCalls", "deliveries", "duplicateKeys"}.
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class FakeModel {
    static final Pattern DELAY = Pattern.compile("\"model\"\\s*:\\s*\"delay-(\\d+)\"");
    static final byte[] ANSWER = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"positive\"},\"text\":\"positive\","
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}")
            .getBytes(StandardCharsets.UTF_8);
    static final LongAdder calls = new LongAdder();
    static final LongAdder deliveries = new LongAdder();
    static final ConcurrentHashMap<String, AtomicInteger> keys = new ConcurrentHashMap<>();

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", FakeModel::handle);
        server.start();
        System.out.println("fake model listening on " + server.getAddress());
    }

    static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] in = ex.getRequestBody().readAllBytes();
            if (path.equals("/stats")) {
                long dup = keys.values().stream().filter(n -> n.get() > 1).count();
                send(ex, 200, ("{\"modelCalls\":" + calls.sum() + ",\"deliveries\":" + deliveries.sum()
                        + ",\"duplicateKeys\":" + dup + "}").getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/hook")) {
                deliveries.increment();
                String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
                keys.computeIfAbsent(key == null ? "" : key, k -> new AtomicInteger()).incrementAndGet();
                ex.sendResponseHeaders(204, -1);
            } else {
                calls.increment();
                Matcher m = DELAY.matcher(new String(in, StandardCharsets.UTF_8));
                if (m.find()) {
                    Thread.sleep(Long.parseLong(m.group(1)));
                }
                send(ex, 200, ANSWER);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }
}
