package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HTTPS through an HTTP proxy (the app's outbound guard, or a corporate one) that will not open the tunnel: the
 * JDK client reports only "Tunnel failed, got: 502" and drops the proxy's body, so the gateway says what
 * happened itself — the provider could not be reached, through the proxy, with the proxy's status.
 */
class ProxyTunnelTest {

    /** A real HTTP proxy on loopback that answers every {@code CONNECT} with {@code status} and records the request line. */
    private static final class RefusingProxy implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

        RefusingProxy(int status) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        requests.add(firstLine(s.getInputStream()));
                        s.getOutputStream().write(("HTTP/1.1 " + status + " Refused\r\nContent-Type: application/json\r\n"
                                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        private static String firstLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            // the rest of the head, up to the blank line
            for (int run = 0, b = in.read(); b != -1; b = in.read()) {
                run = b == '\n' ? run + 1 : b == '\r' ? run : 0;
                if (run == 2) {
                    break;
                }
            }
            return line.toString().strip();
        }

        ProxySelector selector() {
            return ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @ParameterizedTest(name = "CONNECT answered {0}")
    @CsvSource({"502, could not reach it", "403, refused to open a connection to it"})
    void aProxyThatWillNotOpenTheTunnelMakesTheProviderUnavailableSayingWhy(int status, String why) throws Exception {
        MutableClock clock = new MutableClock();
        RecordingSleeper sleeper = new RecordingSleeper(clock);
        try (RefusingProxy proxy = new RefusingProxy(status);
             ModelGateway g = ModelGateway.builder()
                     .config(GatewayConfig.builder().provider("fake", ProviderConfig.of("openai-compatible",
                             URI.create("https://models.example:8443/v1"), "sk-fake")).build())
                     .clock(clock).sleeper(sleeper).meterRegistry(new SimpleMeterRegistry())
                     .budgetStore(new InMemoryBudgetStore()).random(new Random(7)).proxy(proxy.selector()).build()) {
            ModelRequest ask = ModelRequest.builder().models(List.of("fake/m")).messages(List.of(ChatMessage.user("Hi")))
                    .maxTokens(8).build();

            assertThatThrownBy(() -> g.call(ask, CallContext.defaults()))
                    .isInstanceOfSatisfying(GatewayException.Unavailable.class, e ->
                            assertThat(e.reason()).isEqualTo(GatewayException.Unavailable.Reason.CONNECT_FAILED))
                    .hasMessageContaining("cannot connect to fake: the HTTP proxy " + why
                            + " (it answered CONNECT with HTTP " + status + ")")
                    .hasMessageNotContaining("Tunnel failed");
            assertThat(proxy.requests).isNotEmpty().allSatisfy(r -> assertThat(r).isEqualTo("CONNECT models.example:8443 HTTP/1.1"));
        }
    }
}
