package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.TestGraphs;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Test helper for share links: creates and publishes apps through the owner API, then talks to
 * the public pages as an anonymous client would, from a client address of its own (sent as
 * {@code X-Forwarded-For}; loopback is a trusted proxy by default), so tests never share rate
 * limit budgets.
 */
final class ShareClient {

    private static final AtomicInteger NEXT_CLIENT = new AtomicInteger(1);

    private final Api api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String clientAddress;

    ShareClient(Api api) {
        this(api, freshAddress());
    }

    private ShareClient(Api api, String clientAddress) {
        this.api = api;
        this.clientAddress = clientAddress;
    }

    /** A documentation-range address no other test uses. */
    static String freshAddress() {
        int n = NEXT_CLIENT.getAndIncrement();
        return "198.51." + (n / 250) + "." + (n % 250 + 1);
    }

    /** The same pages, seen from another client address. */
    ShareClient asAnotherClient() {
        return new ShareClient(api, freshAddress());
    }

    String address() {
        return clientAddress;
    }

    String createApp(Map<String, Object> graph) {
        Response created = api.post("/api/v1/apps", TestGraphs.app("share-" + UUID.randomUUID(), graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    String createApp(String name, String description, Map<String, Object> graph) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "graph", graph));
        if (description != null) {
            body.put("description", description);
        }
        Response created = api.post("/api/v1/apps", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /** Publishes and returns the share URL's path, {@code /s/<token>}. */
    String publish(String appId) {
        Response published = api.post("/api/v1/apps/" + appId + "/publish", "");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        String url = published.json().get("shareUrl").asString();
        return URI.create(url).getPath();
    }

    /** A published greeting app ("Hello, {{in.text}}!"); returns its share path. */
    String sharedGreeting() {
        return publish(createApp(TestGraphs.greeting()));
    }

    Response get(String path, String... headers) {
        return send(path, b -> {
            b.GET();
            if (headers.length > 0) {
                b.headers(headers);
            }
        });
    }

    Response postForm(String path, Map<String, String> form, String... headers) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return postRaw(path, "application/x-www-form-urlencoded", body, headers);
    }

    Response postJson(String path, Object body, String... headers) {
        return postRaw(path, "application/json", body instanceof String s ? s : Api.JSON.writeValueAsString(body), headers);
    }

    Response postRaw(String path, String contentType, String body, String... headers) {
        return send(path, b -> {
            b.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
            if (headers.length > 0) {
                b.headers(headers);
            }
        });
    }

    /** A streamed JSON run; returns the raw event-stream lines. */
    List<String> stream(String path, Object body, String... headers) {
        Response r = postJson(path, body, concat(headers, "Accept", "text/event-stream"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/event-stream");
        return r.body().lines().toList();
    }

    Response send(String path, Consumer<HttpRequest.Builder> customizer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api.base() + path))
                .timeout(Duration.ofSeconds(60)).header("X-Forwarded-For", clientAddress);
        customizer.accept(builder);
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String[] concat(String[] headers, String... more) {
        String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
