package dev.switchboard.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server that answers every request with {@code 200 text/event-stream}, writes the given SSE text
 * as one chunk, then resets the connection (TCP RST) — a provider dying mid-stream — or stalls until the client
 * hangs up.
 */
public final class CutStreamServer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread acceptor;
    private final AtomicInteger requests = new AtomicInteger();

    public CutStreamServer(String sseBeforeCut) throws IOException {
        this(sseBeforeCut, false);
    }

    /** @param stall true: keep the connection open and silent after the text instead of resetting it */
    public CutStreamServer(String sseBeforeCut, boolean stall) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    RawHttp.readRequest(s.getInputStream());
                    requests.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = sseBeforeCut.getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (stall) {
                        s.getInputStream().read();
                    }
                    s.setSoLinger(true, 0);
                } catch (IOException e) {
                    // closed while accepting, or the client went away first
                }
            }
        });
    }


    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
