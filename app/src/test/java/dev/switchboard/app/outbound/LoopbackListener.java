package dev.switchboard.app.outbound;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener on 127.0.0.1 that counts the connections it accepts and closes them: the target
 * of refusal tests, which must prove that nothing reached it. {@link #connectionsFromOthers()}
 * is exact: it opens one probe connection of its own and waits until the accept loop has counted
 * it, so any connection made before the probe has been counted too.
 */
public final class LoopbackListener implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final java.util.Set<Integer> peers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    public LoopbackListener() {
        this(InetAddress.getLoopbackAddress());
    }

    /** A listener on {@code address} (e.g. {@code ::1}); throws UncheckedIOException where it cannot bind. */
    public LoopbackListener(InetAddress address) {
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofVirtual().name("loopback-listener").start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                    peers.add(s.getPort());
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted, not counting the probe this method makes. */
    public int connectionsFromOthers() {
        try (Socket probe = new Socket(server.getInetAddress(), port())) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            // accepts are in arrival order: once the probe is in, every earlier connection is counted
            while (!peers.remove(probe.getLocalPort())) {
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the listener did not accept the probe connection");
                }
                Thread.onSpinWait();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return accepted.getAndDecrement() - 1;
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
