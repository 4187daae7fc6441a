package dev.switchboard.gateway.internal.http;

import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.spi.ProviderStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import tools.jackson.databind.JsonNode;

/**
 * JSON-over-HTTP for one provider on the JDK {@link HttpClient} (no extra dependency, async, HTTP/2, cancellable
 * futures). Non-2xx answers and transport failures go through {@link HttpErrorMapper}. Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {

    /** Per-call handler of a provider's SSE events. */
    public interface SseHandler {
        /** One event; may emit deltas and end the stream. Exceptions fail the stream. */
        void onEvent(String event, String data, ProviderStream out);

        /** The body ended; a handler that has not seen its end marker must {@code fail} the stream. */
        void onEnd(ProviderStream out);
    }

    /** Per-call handler of a streamed body, line by line (SSE or newline-delimited JSON). */
    public interface LineHandler {
        void onLine(String line, ProviderStream out);

        /** The body ended; a handler that has not seen its end marker must {@code fail} the stream. */
        void onEnd(ProviderStream out);
    }

    /** Reads an SSE body; a line that is a bare JSON object (newline-delimited JSON) is taken as one event. */
    public static LineHandler sse(SseHandler handler) {
        return new LineHandler() {
            private SseParser parser;

            @Override
            public void onLine(String line, ProviderStream out) {
                if (parser == null) {
                    parser = new SseParser((event, data) -> handler.onEvent(event, data, out));
                }
                if (line.startsWith("{")) {
                    handler.onEvent(null, line, out);
                } else {
                    parser.line(line);
                }
            }

            @Override
            public void onEnd(ProviderStream out) {
                if (parser != null) {
                    parser.finish();
                }
                if (!out.isTerminated()) {
                    handler.onEnd(out);
                }
            }
        };
    }

    private final String provider;
    private final ProviderConfig config;
    private final Clock clock;
    private final HttpClient client;

    public HttpTransport(String provider, ProviderConfig config, Clock clock) {
        this(provider, config, clock, null);
    }

    /** @param proxy where connections are opened through (see {@code ProviderSettings#proxy}), or null for direct */
    public HttpTransport(String provider, ProviderConfig config, Clock clock, ProxySelector proxy) {
        this.provider = provider;
        this.config = config;
        this.clock = clock;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (proxy != null) {
            builder.proxy(proxy);
        }
        this.client = builder.build();
    }

    /** POSTs JSON and completes with the parsed 2xx body, or fails with a {@code GatewayException}. */
    public CompletableFuture<JsonNode> postJson(URI uri, Map<String, String> headers, JsonNode body, String model,
                                                Secret key) {
        HttpRequest request = request(uri, headers, body, "application/json");
        CompletableFuture<HttpResponse<byte[]>> sent = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        CompletableFuture<JsonNode> result = sent.handle((response, failure) -> {
            if (failure != null) {
                throw HttpErrorMapper.fromTransport(provider, model, failure, key);
            }
            if (response.statusCode() / 100 != 2) {
                throw HttpErrorMapper.fromStatus(provider, model, response.statusCode(), response.headers(),
                        response.body(), key, clock);
            }
            try {
                return Json.parse(response.body());
            } catch (RuntimeException malformed) {
                throw HttpErrorMapper.fromTransport(provider, model, malformed, key);
            }
        });
        // Cancelling what the caller holds must cancel the exchange (time limiter, interrupted caller).
        result.whenComplete((r, t) -> {
            if (result.isCancelled()) {
                sent.cancel(true);
            }
        });
        return result;
    }

    /**
     * POSTs JSON and reads a {@code text/event-stream} answer into {@code out} through {@code handler}. Returns at
     * once. A non-2xx answer fails the stream with the mapped error; cancelling the stream cancels the exchange.
     */
    public void postSse(URI uri, Map<String, String> headers, JsonNode body, String model, Secret key,
                        SseHandler handler, ProviderStream out) {
        postStream(uri, headers, body, model, key, sse(handler), out);
    }

    /** Like {@link #postSse} with a raw line handler. */
    public void postStream(URI uri, Map<String, String> headers, JsonNode body, String model, Secret key,
                           LineHandler handler, ProviderStream out) {
        HttpRequest request = request(uri, headers, body, "text/event-stream");
        CompletableFuture<HttpResponse<Void>> sent = client.sendAsync(request, info -> {
            if (info.statusCode() / 100 != 2) {
                return BodySubscribers.mapping(BodySubscribers.ofByteArray(), bytes -> {
                    out.fail(HttpErrorMapper.fromStatus(provider, model, info.statusCode(), info.headers(), bytes,
                            key, clock));
                    return null;
                });
            }
            return lines(new StreamLineSubscriber(handler, out, model, key));
        });
        out.onCancel(() -> sent.cancel(true));
        sent.whenComplete((r, failure) -> {
            if (failure != null) {
                out.fail(HttpErrorMapper.fromTransport(provider, model, failure, key));
            }
        });
    }

    private static BodySubscriber<Void> lines(Flow.Subscriber<String> subscriber) {
        return BodySubscribers.fromLineSubscriber(subscriber, s -> null, StandardCharsets.UTF_8, null);
    }

    private HttpRequest request(URI uri, Map<String, String> headers, JsonNode body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            // Plain-HTTP servers (vLLM, Ollama, loopback fakes) gain nothing from an h2c upgrade attempt.
            b.version(HttpClient.Version.HTTP_1_1);
        }
        config.headers().forEach(b::setHeader);
        headers.forEach(b::setHeader);
        return b.build();
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    /** Feeds body lines to the provider's handler; turns handler and transport failures into stream failures. */
    private final class StreamLineSubscriber implements Flow.Subscriber<String> {
        private final LineHandler handler;
        private final ProviderStream out;
        private final String model;
        private final Secret key;

        StreamLineSubscriber(LineHandler handler, ProviderStream out, String model, Secret key) {
            this.handler = handler;
            this.out = out;
            this.model = model;
            this.key = key;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            out.onCancel(subscription::cancel);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!out.isTerminated()) {
                guarded(() -> handler.onLine(line, out));
            }
        }

        @Override
        public void onError(Throwable failure) {
            out.fail(HttpErrorMapper.fromTransport(provider, model, failure, key));
        }

        @Override
        public void onComplete() {
            if (!out.isTerminated()) {
                guarded(() -> handler.onEnd(out));
            }
        }

        private void guarded(Runnable action) {
            try {
                action.run();
            } catch (GatewayException e) {
                out.fail(e);
                out.cancel();
            } catch (RuntimeException e) {
                out.fail(HttpErrorMapper.fromTransport(provider, model, e, key));
                out.cancel();
            }
        }
    }
}
