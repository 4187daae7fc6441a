package dev.switchboard.app.openai;

import dev.switchboard.gateway.GatewayException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An error of the OpenAI-compatible API. Its body serves two readers at once: OpenAI's SDKs read
 * the {@code error} member ({@code {message, type, param, code}}), and everything else gets RFC
 * 9457 problem+json members ({@code type}, {@code title}, {@code status}, {@code detail},
 * {@code code}) like the rest of the API. Messages come from the gateway, which redacts keys.
 *
 * @param status     HTTP status
 * @param errorType  OpenAI's error type ({@code invalid_request_error}, {@code rate_limit_error}, ...)
 * @param code       stable snake_case code ({@code model_not_found}, {@code budget_exceeded}, ...)
 * @param title      problem title
 * @param message    human explanation
 * @param param      the request field at fault in OpenAI's spelling, or null
 * @param retryAfter when the client may try again, or null
 * @param retry      whether an SDK should retry on its own ({@code x-should-retry})
 * @param extra      more problem members (e.g. {@code knownModels})
 */
record OpenAiError(int status, String errorType, String code, String title, String message, String param,
                   Duration retryAfter, boolean retry, Map<String, Object> extra) {

    private static final Pattern CAMEL = Pattern.compile("([a-z0-9])([A-Z])");

    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", "invalid_request", "Invalid request", message, param, null,
                false, Map.of());
    }

    static OpenAiError of(int status, String errorType, String code, String title, String message) {
        return new OpenAiError(status, errorType, code, title, message, null, null, status >= 500 || status == 429,
                Map.of());
    }

    /** The answer for a gateway failure, keeping the status the gateway chose. */
    static OpenAiError of(GatewayException e) {
        int status = e.httpStatus();
        String message = e.getMessage();
        return switch (e) {
            case GatewayException.UnknownModel u -> new OpenAiError(404, "invalid_request_error", "model_not_found",
                    "Unknown model", message, "model", null, false, Map.of("knownModels", List.copyOf(u.knownModels())));
            case GatewayException.ModelNotFound m -> new OpenAiError(404, "invalid_request_error", "model_not_found",
                    "Model not found", message, "model", null, false, Map.of());
            case GatewayException.InvalidRequest i -> new OpenAiError(400, "invalid_request_error", "invalid_request",
                    "Invalid request", message, snakeCase(i.field()), null, false, Map.of());
            case GatewayException.ContextLengthExceeded c -> new OpenAiError(400, "invalid_request_error",
                    "context_length_exceeded", "Context length exceeded", message, "messages", null, false, Map.of());
            case GatewayException.AuthFailed a -> new OpenAiError(status, "server_error", a.code(),
                    "The provider rejected its credentials", message, null, null, false, Map.of());
            case GatewayException.QuotaExhausted q -> new OpenAiError(status, "server_error", q.code(),
                    "The provider account's quota is exhausted", message, null, null, false, Map.of());
            case GatewayException.BudgetExceeded b -> new OpenAiError(429, "insufficient_quota", b.code(),
                    "Budget exceeded", message, null, null, false,
                    Map.of("limitUsd", b.limit(), "spentUsd", b.spent()));
            case GatewayException.Cancelled c -> new OpenAiError(499, "invalid_request_error", c.code(), "Cancelled",
                    message, null, null, false, Map.of());
            case GatewayException.RateLimited r -> new OpenAiError(429, "rate_limit_error", r.code(), "Rate limited",
                    message, null, r.retryAfter(), true, Map.of());
            case GatewayException.Timeout t -> new OpenAiError(status, "server_error", t.code(),
                    "The provider timed out", message, null, null, true, Map.of());
            case GatewayException.ProviderError p -> new OpenAiError(status, "server_error", p.code(),
                    "The provider failed", message, null, p.retryAfter(), true, Map.of());
            case GatewayException.Unavailable u -> new OpenAiError(status, "server_error", u.code(),
                    "No deployment of the model is available", message, null, null, true, Map.of());
            case GatewayException.StreamInterrupted s -> new OpenAiError(status, "server_error", s.code(),
                    "The stream was interrupted", message, null, null, true, Map.of());
        };
    }

    /** The {@code error} object OpenAI's SDKs parse (also the payload of an SSE error event). */
    Map<String, Object> errorObject() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", errorType);
        error.put("param", param);
        error.put("code", code);
        return error;
    }

    /** The whole response body: {@code error} plus the problem+json members. */
    Map<String, Object> body(String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", errorObject());
        String kebab = code.replace('_', '-');
        body.put("type", "/problems/" + kebab);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", message);
        body.put("instance", instance);
        body.put("code", kebab);
        if (param != null) {
            body.put("param", param);
        }
        body.putAll(extra);
        return body;
    }

    /** {@code maxTokens} → {@code max_tokens}; {@code messages[2].role} stays as it is. */
    static String snakeCase(String field) {
        return field == null ? null : CAMEL.matcher(field).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    }
}
