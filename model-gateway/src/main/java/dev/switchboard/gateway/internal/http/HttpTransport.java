package dev.switchboard.gateway.internal.http;

import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ProviderConfig;
import dev.switchboard.gateway.Secret;
import dev.switchboard.gateway.spi.ProviderStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
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

    /**
     * A request that failed because its connection ended before a byte of the answer came is sent again at once, at
     * most this many times. That is what a keep-alive connection the server closed while it sat in the client's pool
     * looks like (an idle timeout, or the JDK {@code HttpServer} closing connections that go idle beyond its
     * {@code maxIdleConnections}): the JDK client resends only GET and HEAD itself, so without this every such
     * POST became a {@code provider_error} that the deployment's circuit counted, and a burst of them (many pooled
     * connections closed at once) opened it. Go's and OkHttp's clients resend in the same case. A server that
     * really drops requests still fails: after the resends the error goes to the gateway's retry and breaker.
     */
    static final int STALE_CONNECTION_RESENDS = 2;

    /** POSTs JSON and completes with the parsed 2xx body, or fails with a {@code GatewayException}. */
    public CompletableFuture<JsonNode> postJson(URI uri, Map<String, String> headers, JsonNode body, String model,
                                                Secret key) {
        HttpRequest request = request(uri, headers, body, "application/json");
        AtomicBoolean answered = new AtomicBoolean();
        AtomicReference<CompletableFuture<HttpResponse<byte[]>>> current = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> sent = sendResending(request, info -> {
            answered.set(true);
            return BodySubscribers.ofByteArray();
        }, current, STALE_CONNECTION_RESENDS, () -> !answered.get());
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
                cancel(current);
            }
        });
        return result;
    }

    /**
     * Sends {@code request}; while it fails because the connection ended before an answer began (and
     * {@code unanswered} still says no answer head was seen), sends it again, up to {@code resends} times.
     * {@code current} always holds the exchange in flight, for cancelling.
     */
    private <T> CompletableFuture<HttpResponse<T>> sendResending(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            AtomicReference<CompletableFuture<HttpResponse<T>>> current, int resends, BooleanSupplier unanswered) {
        CompletableFuture<HttpResponse<T>> attempt = client.sendAsync(request, handler);
        current.set(attempt);
        return attempt.handle((response, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(response);
            }
            if (resends > 0 && unanswered.getAsBoolean() && closedBeforeAnswer(failure) && !attempt.isCancelled()) {
                return sendResending(request, handler, current, resends - 1, unanswered);
            }
            return CompletableFuture.<HttpResponse<T>>failedFuture(failure);
        }).thenCompose(f -> f);
    }

    private static void cancel(AtomicReference<? extends CompletableFuture<?>> current) {
        CompletableFuture<?> f = current.get();
        if (f != null) {
            f.cancel(true);
        }
    }

    /**
     * True when {@code failure} says the connection ended (EOF, reset, broken pipe) before any byte of the answer:
     * the JDK's "header parser received no bytes" and the end-of-stream or socket errors under it.
     */
    static boolean closedBeforeAnswer(Throwable failure) {
        Throwable t = HttpErrorMapper.unwrap(failure);
        if (!(t instanceof IOException) || t instanceof HttpTimeoutException || t instanceof ConnectException) {
            return false;
        }
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException) {
                return false; // never connected: the JDK client already retried it once, and it is the provider's
            }
            if (c instanceof EOFException || c instanceof SocketException || c instanceof ClosedChannelException
                    || (c.getMessage() != null && c.getMessage().contains("received no bytes"))) {
                return true;
            }
        }
        return false;
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
        AtomicBoolean answered = new AtomicBoolean();
        AtomicReference<CompletableFuture<HttpResponse<Void>>> current = new AtomicReference<>();
        HttpResponse.BodyHandler<Void> bodyHandler = info -> {
            answered.set(true);
            if (info.statusCode() / 100 != 2) {
                return BodySubscribers.mapping(BodySubscribers.ofByteArray(), bytes -> {
                    out.fail(HttpErrorMapper.fromStatus(provider, model, info.statusCode(), info.headers(), bytes,
                            key, clock));
                    return null;
                });
            }
            return lines(new StreamLineSubscriber(handler, out, model, key));
        };
        // resent only while no answer head came: after that, body failures belong to the stream
        CompletableFuture<HttpResponse<Void>> sent = sendResending(request, bodyHandler, current,
                STALE_CONNECTION_RESENDS, () -> !answered.get());
        out.onCancel(() -> {
            sent.cancel(true);
            cancel(current);
        });
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
