package dev.switchboard.app.outbound;

import dev.switchboard.app.outbound.HttpNodeKind.ResponseType;
import dev.switchboard.app.runs.SideEffects;
import dev.switchboard.engine.NodeContext;
import dev.switchboard.engine.NodeExecutor;
import dev.switchboard.engine.NodeFailedException;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Template;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Runs one {@code http} node: renders the request, sends it through {@link OutboundHttp}, shapes the outputs. */
final class HttpCall implements NodeExecutor {

    /** A request body template and its media type (null: guessed from the rendered text). */
    record Body(Template template, String contentType) {
    }

    /** The compiled node. */
    record Spec(String method, Template url, Map<String, Template> query, Map<String, Template> headers, Body body,
                ResponseType responseType, int maxRedirects, int maxBytes, boolean failOnStatus, Duration timeout) {
    }

    private final OutboundHttp http;
    private final JsonMapper json;
    private final Spec spec;

    HttpCall(OutboundHttp http, JsonMapper json, Spec spec) {
        this.http = http;
        this.json = json;
        this.spec = spec;
    }

    @Override
    public NodeResult execute(NodeContext ctx) throws Exception {
        // failures are NodeFailedException: thrown inside the side effect, it is not recorded as done,
        // so a retry sends again (same idempotency key)
        OutboundTarget target = target(ctx);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Template> h : spec.headers().entrySet()) {
            String value = ctx.render(h.getValue());
            if (value.chars().anyMatch(ch -> ch == '\r' || ch == '\n' || ch == 0)) {
                throw new NodeFailedException("invalid_request", "the header '" + h.getKey() + "' rendered a line break", false);
            }
            headers.put(h.getKey(), value);
        }
        byte[] body = null;
        String contentType = null;
        if (spec.body() != null) {
            String text = ctx.render(spec.body().template());
            body = text.getBytes(StandardCharsets.UTF_8);
            contentType = spec.body().contentType() != null ? spec.body().contentType()
                    : OutboundHttp.Request.guessContentType(text);
        }
        if (spec.method().equals("GET") || spec.method().equals("HEAD")) {
            return NodeResult.of(send(ctx, target, headers, body, contentType));
        }
        byte[] sentBody = body;
        String sentType = contentType;
        return NodeResult.of(ctx.service(SideEffects.class).once(ctx, "http", attempt -> {
            if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Idempotency-Key"))) {
                headers.put("Idempotency-Key", attempt.idempotencyKey());
            }
            return send(ctx, target, headers, sentBody, sentType);
        }));
    }

    private OutboundTarget target(NodeContext ctx) {
        StringBuilder url = new StringBuilder(ctx.render(spec.url()).strip());
        if (!spec.query().isEmpty()) {
            int hash = url.indexOf("#");
            if (hash >= 0) {
                url.setLength(hash);
            }
            char sep = url.indexOf("?") >= 0 ? '&' : '?';
            for (Map.Entry<String, Template> q : spec.query().entrySet()) {
                url.append(sep).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(ctx.render(q.getValue()), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        try {
            return http.guard().check(url.toString());
        } catch (OutboundRefusedException e) {
            throw new NodeFailedException("outbound_refused", "The URL is not allowed: " + e.reason(), false);
        }
    }

    private Map<String, Object> send(NodeContext ctx, OutboundTarget target, Map<String, String> headers, byte[] body,
                                     String contentType) {
        OutboundHttp.Response response;
        try {
            response = http.send(new OutboundHttp.Request(spec.method(), target, headers, body, contentType, timeout(ctx),
                    spec.maxRedirects(), spec.maxBytes()), ctx.cancellation());
        } catch (OutboundException e) {
            String type = switch (e.failure()) {
                case REFUSED -> "outbound_refused";
                case TIMEOUT -> "http_timeout";
                case TOO_LARGE -> "http_response_too_large";
                case CONNECT, IO, REDIRECTS, CANCELLED -> "http_failed";
            };
            throw new NodeFailedException(type, e.getMessage(), e.failure().retriable());
        }
        int status = response.status();
        if (spec.failOnStatus() && (status < 200 || status > 299)) {
            throw new NodeFailedException("http_status", target.origin() + " answered HTTP " + status,
                    status == 408 || status == 429 || status >= 500);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", status);
        out.put("ok", status >= 200 && status <= 299);
        out.put("headers", response.headers());
        out.put("text", new String(response.body(), charset(response.charset())));
        out.put("url", response.url().toString());
        Object parsed = parse(response);
        if (parsed != null) {
            out.put("json", parsed);
        }
        return out;
    }

    /** The parsed body when it is (or must be) JSON; null when it is text. */
    private Object parse(OutboundHttp.Response response) {
        boolean jsonType = response.mediaType() != null
                && (response.mediaType().equals("application/json") || response.mediaType().endsWith("+json"));
        boolean wanted = switch (spec.responseType()) {
            case JSON -> true;
            case AUTO -> jsonType;
            case TEXT -> false;
        };
        if (!wanted || response.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(response.body(), Object.class);
        } catch (JacksonException e) {
            if (spec.responseType() == ResponseType.JSON) {
                throw new NodeFailedException("http_invalid_json", "the response is not valid JSON: " + e.getOriginalMessage(), false);
            }
            return null;
        }
    }

    private Duration timeout(NodeContext ctx) {
        return ctx.timeLeft(spec.timeout());
    }

    private static Charset charset(String name) {
        if (name != null) {
            try {
                return Charset.forName(name.strip().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                // unknown charset: UTF-8 with replacement characters
            }
        }
        return StandardCharsets.UTF_8;
    }
}
