package dev.switchboard.app.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A forward proxy on 127.0.0.1 that makes clients which cannot take a custom DNS resolver (the JDK
 * {@code HttpClient} of the model gateway) connect through the {@link OutboundGuard}: for each
 * connection it resolves the destination once with {@link OutboundGuard#vet}, connects to one of
 * exactly those addresses and relays bytes. HTTPS goes through {@code CONNECT} (TLS stays end to end:
 * certificate and SNI are checked against the host name by the client); plain HTTP comes as an
 * absolute-form request, which is sent on in origin form.
 *
 * <p>A refused destination gets {@code 403} with an OpenAI-style error body naming the reason, so a
 * model call fails with that message. The proxy relays only what the guard allows, so a request that
 * reaches it from elsewhere gains nothing; it is still bound to loopback. Use {@link #selector()} as
 * the client's {@link ProxySelector}. Thread-safe; one virtual thread per relayed direction.
 */
public final class GuardedProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GuardedProxy.class);
    private static final int MAX_HEAD = 32 * 1024;
    private static final Duration HEAD_TIMEOUT = Duration.ofSeconds(30);

    private final OutboundGuard guard;
    private final Duration connectTimeout;
    private final ServerSocket server;
    private final Thread acceptor;

    public GuardedProxy(OutboundGuard guard, Duration connectTimeout) throws IOException {
        this.guard = guard;
        this.connectTimeout = connectTimeout;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        this.acceptor = Thread.ofPlatform().daemon().name("outbound-guard-proxy").start(this::acceptLoop);
    }

    /** Sends every request through this proxy. */
    public ProxySelector selector() {
        Proxy proxy = new Proxy(Proxy.Type.HTTP, server.getLocalSocketAddress());
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                return List.of(proxy);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                // nothing to learn: there is one proxy
            }
        };
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().name("outbound-guard-proxy-conn").start(() -> serve(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("Outbound guard proxy: accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try {
            client.setSoTimeout((int) HEAD_TIMEOUT.toMillis());
            InputStream in = client.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                client.close();
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            int lineEnd = text.indexOf("\r\n");
            String[] requestLine = text.substring(0, lineEnd).split(" ");
            if (requestLine.length != 3) {
                refuse(client, 400, "malformed proxy request");
                return;
            }
            boolean tunnel = requestLine[0].equals("CONNECT");
            OutboundTarget target = tunnel ? guard.check("https://" + requestLine[1] + "/") : guard.check(requestLine[1]);
            if (!tunnel && !target.scheme().equals("http")) {
                refuse(client, 400, "only http URLs may be sent in absolute form; https goes through CONNECT");
                return;
            }
            upstream = connect(target);
            client.setSoTimeout(0);
            OutputStream toClient = client.getOutputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            if (tunnel) {
                toClient.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                toClient.flush();
            } else {
                String path = target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
                String query = target.uri().getRawQuery() == null ? "" : "?" + target.uri().getRawQuery();
                String originForm = requestLine[0] + " " + path + query + " " + requestLine[2];
                toUpstream.write((originForm + oneShot(text.substring(lineEnd))).getBytes(StandardCharsets.ISO_8859_1));
                toUpstream.flush();
            }
            relay(client, upstream, !tunnel);
        } catch (OutboundRefusedException e) {
            refuse(client, 403, "the outbound guard refused this endpoint: " + e.reason());
        } catch (IOException e) {
            refuse(client, 502, "cannot connect to the endpoint: " + e.getClass().getSimpleName());
            closeQuietly(upstream);
        }
    }

    /**
     * The header block with {@code Connection: close}: a plain-HTTP proxy connection is relayed blindly after
     * its first request, and a client pools such connections per proxy rather than per origin, so each may carry
     * one exchange only (a later request for another host must never ride on a connection pinned to this one).
     */
    static String oneShot(String headers) {
        StringBuilder out = new StringBuilder(headers.length() + 20);
        for (String line : headers.split("\r\n")) {
            String name = line.indexOf(':') > 0 ? line.substring(0, line.indexOf(':')).strip().toLowerCase(java.util.Locale.ROOT) : "";
            if (!line.isEmpty() && !name.equals("connection") && !name.equals("keep-alive") && !name.equals("proxy-connection")) {
                out.append("\r\n").append(line);
            }
        }
        return out.append("\r\nConnection: close\r\n\r\n").toString();
    }

    /** Connects to the first vetted address that answers; no other lookup happens. */
    private Socket connect(OutboundTarget target) throws IOException {
        IOException last = null;
        for (InetAddress address : guard.vet(target.host(), target.port())) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, target.port()), (int) connectTimeout.toMillis());
                socket.setTcpNoDelay(true);
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        throw last != null ? last : new IOException("no address");
    }

    /** The request head up to and including the blank line, or null when the client sent nothing usable. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int state = 0;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1 -> b == '\n' ? 2 : b == '\r' ? 1 : 0;
                case 3 -> b == '\n' ? 4 : b == '\r' ? 1 : 0;
                default -> 0;
            };
            if (state == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    /**
     * Relays both directions until both end. For plain HTTP the answer's head gets {@code Connection: close}
     * too (after any 1xx heads), so the client never returns the connection to its pool: without it, a client
     * could send its next request on a connection the server is closing and read nothing back.
     */
    private static void relay(Socket client, Socket upstream, boolean plainHttp) {
        Thread up = Thread.ofVirtual().name("outbound-guard-proxy-up").start(() -> pump(client, upstream));
        try {
            if (plainHttp && !closeAnswer(upstream, client)) {
                closeQuietly(client);
                closeQuietly(upstream);
            }
            pump(upstream, client);
            up.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies the answer's heads, the final one with {@code Connection: close}; false when the answer broke off. */
    private static boolean closeAnswer(Socket upstream, Socket client) {
        try {
            InputStream in = upstream.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return false;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                int lineEnd = text.indexOf("\r\n");
                String statusLine = text.substring(0, lineEnd);
                boolean interim = statusLine.length() > 9 && statusLine.charAt(9) == '1' && !statusLine.startsWith("101", 9);
                out.write(interim ? head : (statusLine + oneShot(text.substring(lineEnd))).getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (!interim) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went away: end both
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void refuse(Socket client, int status, String reason) {
        try (client) {
            String json = "{\"error\":{\"message\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"type\":\""
                    + (status == 403 ? "outbound_refused" : "proxy_error") + "\"}}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + (status == 403 ? "Forbidden" : status == 400 ? "Bad Request" : "Bad Gateway")
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
        } catch (IOException gone) {
            // the client left
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        acceptor.interrupt();
    }
}
