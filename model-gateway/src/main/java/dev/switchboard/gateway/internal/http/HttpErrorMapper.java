package dev.switchboard.gateway.internal.http;

import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The one place where provider answers and transport failures become {@link GatewayException}s.
 *
 * <p>Status → family: 400/413/422 invalid request (or context length when the body says so), 401/403 auth,
 * 402 quota, 404 model not found, 408 timeout, 409 and 5xx (529 included) provider error, 429 rate limited
 * (or quota exhausted when the body says {@code insufficient_quota}). Error bodies of every provider
 * ({@code {"error":{"message","type","code","param"}}}, {@code {"message"}}, {@code {"detail"}}) are read for
 * the message, which is redacted before use. Transport failures: connect timeouts and timeouts, refused
 * connections and an HTTP proxy that would not open a tunnel for HTTPS (unavailable: the provider could not be
 * reached), cancellations, and other I/O failures (provider error).
 */
public final class HttpErrorMapper {

    private static final int MAX_DETAIL = 500;
    private static final Pattern CONTEXT_LENGTH = Pattern.compile(
            "(?i)context[ _]length|context window|maximum context|prompt is too long|too many (input )?tokens"
                    + "|input is too long|exceeds? the (model'?s )?(maximum|max) (context|input)");
    /** How the JDK client reports a proxy's answer to {@code CONNECT} other than 200 (see {@link #tunnelStatus}). */
    private static final Pattern TUNNEL_FAILED = Pattern.compile("Tunnel failed, got: (\\d{3})");
    private static final Pattern QUOTA = Pattern.compile(
            "(?i)insufficient_quota|quota|billing|credit balance|spend(ing)? limit|payment required");
    private static final Map<String, String> FIELDS = Map.of(
            "max_tokens", "maxTokens", "max_completion_tokens", "maxTokens", "top_p", "topP", "top_k", "topK",
            "p", "topP", "k", "topK", "maxTokens", "maxTokens", "topP", "topP", "stop_sequences", "stop");

    private HttpErrorMapper() {
    }

    /** What an error body said. All fields may be null. */
    public record ErrorBody(String message, String type, String code, String param) {

        public static ErrorBody parse(byte[] body) {
            String raw = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
            if (raw.isEmpty()) {
                return new ErrorBody(null, null, null, null);
            }
            try {
                return of(Json.parse(raw), raw);
            } catch (JacksonException notJson) {
                return new ErrorBody(raw, null, null, null);
            }
        }

        /** Reads the common error shapes of OpenAI, Anthropic, Cohere, AI21 and OpenAI-compatible servers. */
        public static ErrorBody of(JsonNode json, String raw) {
            JsonNode err = json.path("error");
            if (err.isObject()) {
                JsonNode code = err.path("code");
                return new ErrorBody(Json.text(err, "message"), Json.text(err, "type"),
                        code.isMissingNode() || code.isNull() ? null : code.asString(""), Json.text(err, "param"));
            }
            if (err.isString()) {
                return new ErrorBody(err.stringValue(), Json.text(json, "type"), null, null);
            }
            String message = Json.text(json, "message");
            if (message == null) {
                JsonNode detail = json.path("detail");
                message = detail.isString() ? detail.stringValue()
                        : detail.isArray() && !detail.isEmpty() ? detail.get(0).path("msg").asString(raw) : raw;
            }
            return new ErrorBody(message, Json.text(json, "type"), Json.text(json, "code"), null);
        }
    }

    /** Maps a non-2xx answer. */
    public static GatewayException fromStatus(String provider, String model, int status, HttpHeaders headers,
                                              byte[] body, Secret key, Clock clock) {
        return fromError(provider, model, status, headers, ErrorBody.parse(body), key, clock);
    }

    /** Maps an error given as a parsed body (also used for error events inside streams, with status null). */
    public static GatewayException fromError(String provider, String model, Integer status, HttpHeaders headers,
                                             ErrorBody error, Secret key, Clock clock) {
        String detail = detail(error, key);
        String what = status == null ? provider + " reported an error" : provider + " answered HTTP " + status;
        String message = what + (detail.isEmpty() ? "" : ": " + detail);
        String hints = (error.type() + " " + error.code() + " " + error.message()).toLowerCase(Locale.ROOT);
        if (CONTEXT_LENGTH.matcher(hints).find() && (status == null || status < 500)) {
            return new GatewayException.ContextLengthExceeded(message, provider, model, status);
        }
        if (status == null) {
            return fromErrorType(provider, model, message, hints);
        }
        java.time.Duration retryAfter = headers == null ? null : RetryAfter.from(headers, clock).orElse(null);
        return switch (status) {
            case 400, 413, 422 -> new GatewayException.InvalidRequest(field(error.param()), message, provider, model, status);
            case 401, 403 -> new GatewayException.AuthFailed(provider + " rejected the credentials (HTTP " + status + ")"
                    + (detail.isEmpty() ? "" : ": " + detail), provider, model, status);
            case 402 -> new GatewayException.QuotaExhausted(message, provider, model, status);
            case 404 -> new GatewayException.ModelNotFound(message, provider, model, status);
            case 408 -> new GatewayException.Timeout(message, provider, model, status, null);
            case 409 -> new GatewayException.ProviderError(message, provider, model, status, retryAfter, null);
            case 429 -> QUOTA.matcher(hints).find()
                    ? new GatewayException.QuotaExhausted(message, provider, model, status)
                    : new GatewayException.RateLimited(message, provider, model, status, retryAfter);
            default -> status >= 400 && status < 500
                    ? new GatewayException.InvalidRequest(field(error.param()), message, provider, model, status)
                    : new GatewayException.ProviderError(message, provider, model, status, retryAfter, null);
        };
    }

    /** Classifies an in-stream error event by its type name (Anthropic's {@code overloaded_error} etc.). */
    private static GatewayException fromErrorType(String provider, String model, String message, String hints) {
        if (hints.contains("authentication") || hints.contains("permission")) {
            return new GatewayException.AuthFailed(message, provider, model, null);
        }
        if (hints.contains("rate_limit") || hints.contains("rate limit")) {
            return new GatewayException.RateLimited(message, provider, model, null, null);
        }
        if (hints.contains("invalid_request")) {
            return new GatewayException.InvalidRequest(null, message, provider, model, null);
        }
        if (hints.contains("not_found")) {
            return new GatewayException.ModelNotFound(message, provider, model, null);
        }
        return new GatewayException.ProviderError(message, provider, model, null, null);
    }

    /** Maps a failure to reach the provider or to read its answer. */
    public static GatewayException fromTransport(String provider, String model, Throwable failure, Secret key) {
        Throwable t = unwrap(failure);
        if (t instanceof GatewayException g) {
            return g;
        }
        String detail = Redactor.redact(String.valueOf(t.getMessage()), key);
        return switch (t) {
            case HttpConnectTimeoutException e -> new GatewayException.Timeout(
                    "connect to " + provider + " timed out", provider, model, null, e);
            case HttpTimeoutException e -> new GatewayException.Timeout(
                    provider + " did not answer in time", provider, model, null, e);
            case ConnectException e -> new GatewayException.Unavailable(
                    "cannot connect to " + provider + ": " + detail, provider, model,
                    GatewayException.Unavailable.Reason.CONNECT_FAILED, e);
            case java.util.concurrent.TimeoutException e -> new GatewayException.Timeout(
                    provider + " did not answer in time", provider, model, null, e);
            case CancellationException e -> new GatewayException.Cancelled(
                    "call to " + provider + " was cancelled", provider, model, e);
            case InterruptedException e -> new GatewayException.Cancelled(
                    "call to " + provider + " was interrupted", provider, model, e);
            case IOException e when tunnelStatus(e) > 0 -> tunnelFailed(provider, model, tunnelStatus(e), e);
            case IOException e -> new GatewayException.ProviderError(
                    "connection to " + provider + " failed: " + detail, provider, model, null, e);
            case JacksonException e -> new GatewayException.ProviderError(
                    provider + " sent a malformed answer", provider, model, null, null);
            default -> new GatewayException.ProviderError(
                    "call to " + provider + " failed: " + t.getClass().getSimpleName(), provider, model, null, t);
        };
    }

    /**
     * The status an HTTP proxy answered a {@code CONNECT} (HTTPS through a proxy) with, or 0: the JDK client
     * reports any answer but 200 as {@code IOException("Tunnel failed, got: 502")} and drops the proxy's body.
     */
    static int tunnelStatus(IOException e) {
        java.util.regex.Matcher m = e.getMessage() == null ? null : TUNNEL_FAILED.matcher(e.getMessage());
        return m != null && m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** A proxy answered {@code CONNECT} with {@code status}: the provider could not be reached through it. */
    private static GatewayException tunnelFailed(String provider, String model, int status, IOException e) {
        String what = status == 403 ? "refused to open a connection to it" : "could not reach it";
        return new GatewayException.Unavailable("cannot connect to " + provider + ": the HTTP proxy " + what
                + " (it answered CONNECT with HTTP " + status + ")", provider, model,
                GatewayException.Unavailable.Reason.CONNECT_FAILED, e);
    }

    public static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof CompletionException || cur instanceof ExecutionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    /** A retry hint for the gateway's own limiters. */
    public static GatewayException.RateLimited localLimit(String what, String provider, String model, Duration wait) {
        return new GatewayException.RateLimited(what, provider, model, null, wait);
    }

    private static String detail(ErrorBody error, Secret key) {
        String m = error.message() == null ? "" : error.message().strip();
        if (m.length() > MAX_DETAIL) {
            m = m.substring(0, MAX_DETAIL) + "…";
        }
        return Redactor.redact(m, key);
    }

    private static String field(String param) {
        return param == null ? null : FIELDS.getOrDefault(param, param);
    }
}
