package dev.switchboard.app.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.twilio.exception.ApiException;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SDK's transport: redirected to the configured base, no SDK retries, failures told apart. */
class TwilioHttpClientTest {

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> lastPath = new AtomicReference<>();

    private URI serve(int status, String contentType, String body, String retryAfter) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            lastPath.set(exchange.getRequestURI().toString());
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static Message send(URI base) {
        TwilioRestClient client = new TwilioRestClient.Builder("AC" + "1".repeat(32), "secret-token")
                .httpClient(new TwilioHttpClient(TwilioHttpClient.newJdkClient(Duration.ofSeconds(2)), base,
                        Duration.ofSeconds(5)))
                .build();
        return Message.creator(new PhoneNumber("+14155550100"), new PhoneNumber("+15005550006"), "hi").create(client);
    }

    @Test
    void sendsTheSdksRequestToTheConfiguredBase() throws IOException {
        URI base = serve(201, "application/json", "{\"sid\": \"SM1\", \"status\": \"queued\"}", null);

        Message message = send(base);

        assertThat(message.getSid()).isEqualTo("SM1");
        assertThat(lastPath.get()).isEqualTo("/2010-04-01/Accounts/AC" + "1".repeat(32) + "/Messages.json");
    }

    @Test
    void a5xxIsAnsweredOnceNotRetriedAndKeepsItsStatusEvenWithoutJson() throws IOException {
        URI base = serve(502, "text/html", "<html>bad gateway</html>", null);

        assertThatThrownBy(() -> send(base)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(502));
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void twiliosErrorCodeAndRetryAfterComeThrough() throws IOException {
        URI base = serve(429, "application/json", "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}", "7");

        assertThatThrownBy(() -> send(base)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(429);
            assertThat(e.getCode()).isEqualTo(20429);
            assertThat(e.getDetails()).containsEntry("retryAfter", "7");
        });
    }

    @Test
    void aRefusedConnectionIsSurelyNotSent() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port);

        assertThatThrownBy(() -> send(closed)).isInstanceOfSatisfying(TwilioTransportException.class,
                e -> assertThat(e.surelyNotSent()).isTrue());
    }

    @Test
    void aTimeoutAfterSendingIsNotSurelyNotSent() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                release.await(); // answers only after the test, long after the request timeout below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        TwilioRestClient client = new TwilioRestClient.Builder("AC" + "1".repeat(32), "secret-token")
                .httpClient(new TwilioHttpClient(TwilioHttpClient.newJdkClient(Duration.ofSeconds(2)), base,
                        Duration.ofMillis(300)))
                .build();

        assertThatThrownBy(() -> Message.creator(new PhoneNumber("+14155550100"), new PhoneNumber("+15005550006"), "hi")
                .create(client)).isInstanceOfSatisfying(TwilioTransportException.class,
                e -> assertThat(e.surelyNotSent()).isFalse());
    }

    @Test
    void otherTwilioHostsAreLeftAlone() throws IOException {
        TwilioHttpClient http = new TwilioHttpClient(TwilioHttpClient.newJdkClient(Duration.ofSeconds(1)),
                URI.create("http://127.0.0.1:9"), Duration.ofSeconds(1));
        com.twilio.http.Request api = new com.twilio.http.Request(com.twilio.http.HttpMethod.GET, "api",
                "/2010-04-01/Accounts.json");
        com.twilio.http.Request other = new com.twilio.http.Request(com.twilio.http.HttpMethod.GET, "messaging",
                "/v1/Services");

        assertThat(http.target(api)).hasToString("http://127.0.0.1:9/2010-04-01/Accounts.json");
        assertThat(http.target(other).getHost()).isEqualTo("messaging.twilio.com");
    }
}
