package dev.switchboard.app.outbound;

import dev.switchboard.app.outbound.OutboundException.Failure;
import dev.switchboard.engine.Cancellation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client for user-supplied URLs, on Apache HttpClient 5 (chosen over the JDK client
 * because its {@link DnsResolver} hook lets the guard decide the exact addresses a connection may
 * use while TLS still verifies the certificate against the host name and SNI and {@code Host} stay
 * the name — the JDK client can only be pinned by rewriting URLs to IP literals). Every new
 * connection resolves its host once, through {@link OutboundGuard#vet}, and connects only to the
 * addresses that passed; pooled connections stay bound to the address they were opened to.
 *
 * <p>No proxies, cookies, authentication caching or automatic retries; redirects are followed by
 * this class, not the library, each hop checked again, credentials dropped when the origin changes.
 * Responses are read up to a limit (decompressed bytes); a larger body aborts the connection rather
 * than draining it. Every request has a total deadline, enforced by aborting the exchange, so a
 * server that trickles bytes cannot hold a node past it. Thread-safe; callers block (use virtual threads).
 */
public final class OutboundHttp implements AutoCloseable {

    /** Headers a request may not set: the client derives them, and forging them smuggles requests. */
    static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "upgrade", "te", "trailer", "expect", "proxy-authorization", "proxy-connection", "http2-settings");
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

    /**
     * One request.
     *
     * @param method       GET, POST, PUT, PATCH, DELETE, HEAD
     * @param target       where (already {@link OutboundGuard#check checked})
     * @param headers      request headers in order (restricted ones are refused by {@link #send})
     * @param body         the body, or null
     * @param contentType  the body's media type, or null
     * @param timeout      total time limit, redirects included
     * @param maxRedirects redirects to follow (0: a 3xx answer is returned as is)
     * @param maxBodyBytes largest response body accepted
     */
    public record Request(String method, OutboundTarget target, Map<String, String> headers, byte[] body,
                          String contentType, Duration timeout, int maxRedirects, long maxBodyBytes) {
        public Request {
            headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        }

        /** The Content-Type for a rendered text body none was given for: JSON when it looks like an object or array. */
        public static String guessContentType(String text) {
            String t = text.strip();
            boolean json = t.startsWith("{") && t.endsWith("}") || t.startsWith("[") && t.endsWith("]");
            return json ? "application/json" : "text/plain; charset=utf-8";
        }
    }

    /**
     * A response.
     *
     * @param status    HTTP status
     * @param headers   lower-case names; repeated headers joined with {@code ", "}
     * @param body      the body bytes (decompressed)
     * @param mediaType the Content-Type's media type (lower case, no parameters), or null
     * @param charset   the Content-Type's charset, or null
     * @param url       the URL that answered (after redirects)
     */
    public record Response(int status, Map<String, String> headers, byte[] body, String mediaType, String charset, URI url) {
    }

    private final OutboundGuard guard;
    private final Clock clock;
    private final CloseableHttpClient client;
    private final PoolingHttpClientConnectionManager pool;
    private final ScheduledExecutorService deadlines;

    public OutboundHttp(OutboundGuard guard, OutboundProperties properties, Clock clock) {
        this.guard = guard;
        this.clock = clock;
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedResolver(guard))
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        .http1Config(Http1Config.custom().setMaxHeaderCount(200).setMaxLineLength(32 * 1024).build())
                        .build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        .setSocketTimeout(Timeout.of(properties.timeout()))
                        .setTimeToLive(TimeValue.ofMinutes(1))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .setMaxConnTotal(properties.maxConnections())
                .setMaxConnPerRoute(Math.max(2, properties.maxConnections() / 4))
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(pool)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("Switchboard")
                .evictExpiredConnections()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("outbound-deadlines").factory());
    }

    /** The guard this client connects through. */
    public OutboundGuard guard() {
        return guard;
    }

    /**
     * Sends a request and reads the whole response (up to {@link Request#maxBodyBytes()}).
     *
     * @throws OutboundException when no response arrived; see {@link Failure}
     */
    public Response send(Request request, Cancellation cancellation) throws OutboundException {
        for (String name : request.headers().keySet()) {
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new OutboundException(Failure.REFUSED, "the header '" + name + "' may not be set");
            }
        }
        Instant deadline = clock.instant().plus(request.timeout());
        OutboundTarget target = request.target();
        String method = request.method().toUpperCase(Locale.ROOT);
        byte[] body = request.body();
        Map<String, String> headers = request.headers();
        OutboundTarget previous = null;
        for (int hop = 0; ; hop++) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw timeout(request, target);
            }
            Exchange exchange = exchange(method, target, headers, body, request.contentType(), left, cancellation);
            try (exchange) {
                ClassicHttpResponse response = exchange.execute();
                int status = response.getCode();
                String location = header(response, "Location");
                if (isRedirect(status) && location != null && request.maxRedirects() > 0) {
                    if (hop >= request.maxRedirects()) {
                        throw new OutboundException(Failure.REDIRECTS, target.origin() + " redirected more than "
                                + request.maxRedirects() + " times");
                    }
                    OutboundTarget next = redirectTarget(target, location);
                    exchange.abort(); // never drain a redirect's body
                    if (status == 303 || ((status == 301 || status == 302) && !method.equals("GET") && !method.equals("HEAD"))) {
                        method = method.equals("HEAD") ? "HEAD" : "GET";
                        body = null;
                    }
                    if (!next.sameOrigin(target)) {
                        headers = withoutCredentials(headers);
                    }
                    previous = target;
                    target = next;
                    continue;
                }
                return new Response(status, headers(response), exchange.readBody(request.maxBodyBytes()),
                        mediaType(response), charset(response), target.uri());
            } catch (IOException e) {
                OutboundException failure = exchange.failure(e, request, target);
                if (previous != null && failure.failure() == Failure.REFUSED) {
                    throw new OutboundException(Failure.REFUSED, previous.origin() + " redirected to a URL that is not allowed: "
                            + failure.getMessage());
                }
                throw failure;
            }
        }
    }

    private Exchange exchange(String method, OutboundTarget target, Map<String, String> headers, byte[] body,
                              String contentType, Duration left, Cancellation cancellation) {
        HttpUriRequestBase http = new HttpUriRequestBase(method, target.uri());
        headers.forEach(http::addHeader);
        if (body != null) {
            http.setEntity(new ByteArrayEntity(body, contentType == null ? null : ContentType.parseLenient(contentType)));
        }
        http.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(left))
                .setConnectionRequestTimeout(Timeout.of(left))
                .setRedirectsEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .setHardCancellationEnabled(true)
                .build());
        return new Exchange(http, left, cancellation);
    }

    /** One request/response on a pooled connection, aborted at its deadline or on cancellation. */
    private final class Exchange implements AutoCloseable {
        private final HttpUriRequestBase http;
        private final AtomicBoolean timedOut = new AtomicBoolean();
        private final Cancellation cancellation;
        private final ScheduledFuture<?> timer;
        private ClassicHttpResponse response;

        Exchange(HttpUriRequestBase http, Duration left, Cancellation cancellation) {
            this.http = http;
            this.cancellation = cancellation;
            this.timer = deadlines.schedule(() -> {
                timedOut.set(true);
                http.cancel();
            }, left.toNanos(), TimeUnit.NANOSECONDS);
            cancellation.onCancel(http::cancel);
        }

        ClassicHttpResponse execute() throws IOException {
            response = client.executeOpen(null, http, null);
            return response;
        }

        byte[] readBody(long max) throws IOException, OutboundException {
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                return new byte[0];
            }
            if (entity.getContentLength() > max) {
                abort();
                throw tooLarge(max);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(entity.getContentLength(), 256), max));
            try (InputStream in = entity.getContent()) {
                byte[] buffer = new byte[8192];
                long total = 0;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                    if (total > max) {
                        abort();
                        throw tooLarge(max);
                    }
                    out.write(buffer, 0, n);
                }
            }
            return out.toByteArray();
        }

        private OutboundException tooLarge(long max) {
            return new OutboundException(Failure.TOO_LARGE, "the response is larger than " + max + " bytes");
        }

        /** Drops the connection instead of reading the rest of the body. */
        void abort() {
            http.cancel();
        }

        OutboundException failure(IOException e, Request request, OutboundTarget target) {
            OutboundRefusedException refused = refusedCause(e);
            if (refused != null) {
                return new OutboundException(Failure.REFUSED, refused.reason());
            }
            if (timedOut.get()) {
                return timeout(request, target);
            }
            if (cancellation.isCancelled()) {
                return new OutboundException(Failure.CANCELLED, "the request to " + target.origin() + " was cancelled");
            }
            return switch (e) {
                case ConnectTimeoutException t -> new OutboundException(Failure.TIMEOUT, "connecting to " + target.origin() + " timed out");
                case SocketTimeoutException t -> timeout(request, target);
                case ConnectException c -> new OutboundException(Failure.CONNECT, "cannot connect to " + target.origin());
                case NoRouteToHostException c -> new OutboundException(Failure.CONNECT, "no route to " + target.origin());
                case UnknownHostException u -> new OutboundException(Failure.CONNECT, "host '" + target.host() + "' cannot be resolved");
                case SSLException s -> new OutboundException(Failure.CONNECT, "TLS with " + target.origin() + " failed: " + s.getMessage());
                case InterruptedIOException i -> new OutboundException(Failure.CANCELLED, "the request to " + target.origin() + " was interrupted");
                default -> new OutboundException(Failure.IO, "the connection to " + target.origin() + " failed: "
                        + e.getClass().getSimpleName());
            };
        }

        @Override
        public void close() {
            timer.cancel(false);
            if (response != null) {
                try {
                    response.close();
                } catch (IOException ignored) {
                    // the connection is discarded either way
                }
            }
        }
    }

    private static OutboundException timeout(Request request, OutboundTarget target) {
        return new OutboundException(Failure.TIMEOUT, target.origin() + " did not answer within " + request.timeout());
    }

    private static OutboundRefusedException refusedCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutboundRefusedException r) {
                return r;
            }
        }
        return null;
    }

    /** The next hop of a redirect, checked like any user-supplied URL (its addresses are checked when it connects). */
    private OutboundTarget redirectTarget(OutboundTarget from, String location) throws OutboundException {
        String l = location.strip();
        String absolute;
        if (l.matches("(?i)[a-z][a-z0-9+.-]*:.*")) {
            absolute = l;
        } else if (l.startsWith("//")) {
            absolute = from.scheme() + ":" + l;
        } else {
            try {
                absolute = from.uri().resolve(new URI(OutboundGuard.encodeRest(l))).toString();
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                throw new OutboundException(Failure.REDIRECTS, from.origin() + " redirected to an invalid location");
            }
        }
        try {
            return guard.check(absolute);
        } catch (OutboundRefusedException e) {
            throw new OutboundException(Failure.REFUSED, from.origin() + " redirected to a URL that is not allowed: " + e.reason());
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static Map<String, String> withoutCredentials(Map<String, String> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!CREDENTIAL_HEADERS.contains(k.toLowerCase(Locale.ROOT))) {
                kept.put(k, v);
            }
        });
        return kept;
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header h = response.getFirstHeader(name);
        return h == null ? null : h.getValue();
    }

    private static Map<String, String> headers(ClassicHttpResponse response) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Header h : response.getHeaders()) {
            grouped.computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        Map<String, String> joined = new LinkedHashMap<>();
        grouped.forEach((k, v) -> joined.put(k, String.join(", ", v)));
        return joined;
    }

    private static String mediaType(ClassicHttpResponse response) {
        ContentType type = contentType(response);
        return type == null ? null : type.getMimeType().toLowerCase(Locale.ROOT);
    }

    private static String charset(ClassicHttpResponse response) {
        ContentType type = contentType(response);
        return type == null ? null : type.getParameter("charset");
    }

    private static ContentType contentType(ClassicHttpResponse response) {
        HttpEntity entity = response.getEntity();
        String value = entity != null && entity.getContentType() != null ? entity.getContentType() : header(response, "Content-Type");
        return value == null ? null : ContentType.parseLenient(value);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
    }
}
