package dev.switchboard.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback OpenAI-style server whose keep-alive connections each serve one request: the first request on a
 * connection gets a {@code 200} chat completion without {@code Connection: close}, so the client pools the
 * connection; the next request on it is read and the connection closed without a byte of answer. To the client
 * that is exactly what a server closing an idle keep-alive connection looks like when the client picked it from
 * its pool at that moment (the JDK {@code HttpServer} closes a connection that goes idle beyond its
 * {@code sun.net.httpserver.maxIdleConnections}, 200 by default; others after an idle timeout) — made
 * deterministic here: every reuse of a pooled connection fails, every fresh connection is answered.
 */
public final class StaleConnectionServer implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    public StaleConnectionServer(String answerJson) throws IOException {
        this(answerJson, "application/json");
    }

    /** @param contentType of every answer ({@code text/event-stream} for a whole SSE stream in one body) */
    public StaleConnectionServer(String answer, String contentType) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s, contentType, body));
                } catch (IOException e) {
                    // closed while accepting
                }
            }
        });
    }

    private void serve(Socket s, String contentType, byte[] body) {
        try (s) {
            InputStream in = s.getInputStream();
            if (!RawHttp.readRequest(in)) {
                return;
            }
            answered.incrementAndGet(); // before the answer goes out, so a caller that has it sees the count
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            if (RawHttp.readRequest(in)) {
                dropped.incrementAndGet(); // closed by try-with-resources: EOF before any byte of answer
            }
        } catch (IOException e) {
            // the client went away first
        }
    }


    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests answered (one per connection). */
    public int answered() {
        return answered.get();
    }

    /** Requests that arrived on an already used connection and got no answer. */
    public int dropped() {
        return dropped.get();
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
