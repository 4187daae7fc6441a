package dev.switchboard.gateway;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every failure the gateway reports. Two sealed families: {@link Retriable} (the gateway retries and falls
 * back on these before giving up) and {@link NonRetriable}. Match them with an exhaustive {@code switch}.
 *
 * <p>Messages never contain API keys: upstream error texts are redacted before they are put here.
 * {@link #httpStatus()} is the status an HTTP API in front of the gateway should answer with
 * (unknown model 404, invalid parameter 400, provider auth failure 502, budget 429, ...).
 */
public abstract sealed class GatewayException extends RuntimeException
        permits GatewayException.Retriable, GatewayException.NonRetriable {

    private final String provider;
    private final String model;
    private final Integer upstreamStatus;

    protected GatewayException(String message, String provider, String model, Integer upstreamStatus,
                               Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.provider = provider;
        this.model = model;
        this.upstreamStatus = upstreamStatus;
    }

    /** Stable snake_case name of the error kind (problem type, metric {@code error.type}). */
    public abstract String code();

    /** The HTTP status an API in front of the gateway should answer with. */
    public abstract int httpStatus();

    /** The configured provider name involved, or null when the error is the gateway's own. */
    public String provider() {
        return provider;
    }

    /** The model involved, or null. */
    public String model() {
        return model;
    }

    /** The status the provider answered with, or null when no HTTP answer was involved. */
    public Integer upstreamStatus() {
        return upstreamStatus;
    }

    public final boolean retriable() {
        return this instanceof Retriable;
    }

    // ---------------------------------------------------------------- retriable family

    /** Transient failures: rate limits, timeouts, 408/409/5xx/529 answers, unreachable or broken deployments. */
    public abstract static sealed class Retriable extends GatewayException
            permits RateLimited, Timeout, ProviderError, Unavailable, StreamInterrupted {
        private final Duration retryAfter;

        protected Retriable(String message, String provider, String model, Integer upstreamStatus, Duration retryAfter,
                            Throwable cause) {
            super(message, provider, model, upstreamStatus, cause);
            this.retryAfter = retryAfter;
        }

        /** How long the provider (or the gateway's own limiter) asked to wait, or null when it did not say. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** A rate limit: the provider's 429, or the gateway's own RPM/TPM limit or bulkhead. */
    public static final class RateLimited extends Retriable {
        public RateLimited(String message, String provider, String model, Integer upstreamStatus, Duration retryAfter) {
            super(message, provider, model, upstreamStatus, retryAfter, null);
        }

        @Override public String code() { return "rate_limited"; }
        @Override public int httpStatus() { return 429; }
    }

    /** Connect, read, first-token or idle timeout, or the provider's 408. */
    public static final class Timeout extends Retriable {
        public Timeout(String message, String provider, String model, Integer upstreamStatus, Throwable cause) {
            super(message, provider, model, upstreamStatus, null, cause);
        }

        @Override public String code() { return "timeout"; }
        @Override public int httpStatus() { return 504; }
    }

    /** The provider answered 409, 5xx or 529 (overloaded), or sent an error event before any text. */
    public static final class ProviderError extends Retriable {
        public ProviderError(String message, String provider, String model, Integer upstreamStatus, Throwable cause) {
            this(message, provider, model, upstreamStatus, null, cause);
        }

        public ProviderError(String message, String provider, String model, Integer upstreamStatus, Duration retryAfter,
                             Throwable cause) {
            super(message, provider, model, upstreamStatus, retryAfter, cause);
        }

        @Override public String code() { return "provider_error"; }
        @Override public int httpStatus() { return 502; }
    }

    /** No deployment could take the call: connection refused, every circuit open, bulkhead full. */
    public static final class Unavailable extends Retriable {
        /** Why no deployment took the call. */
        public enum Reason {
            /** The provider could not be reached. */
            CONNECT_FAILED,
            /** Every deployment's circuit is open: the gateway moves to the fallback without retrying. */
            CIRCUIT_OPEN,
            /** The provider's bulkhead (concurrent-call limit) is full. */
            BULKHEAD_FULL
        }

        private final Reason reason;

        public Unavailable(String message, String provider, String model, Reason reason, Throwable cause) {
            super(message, provider, model, null, null, cause);
            this.reason = java.util.Objects.requireNonNull(reason, "reason");
        }

        public Reason reason() {
            return reason;
        }

        @Override public String code() { return "unavailable"; }
        @Override public int httpStatus() { return 503; }
    }

    /**
     * A stream failed after text had reached the caller. The gateway never retries this itself (the caller
     * already has part of the answer); a caller may repeat the whole request.
     */
    public static final class StreamInterrupted extends Retriable {
        private final String partialText;

        public StreamInterrupted(String message, String provider, String model, String partialText, Throwable cause) {
            super(message, provider, model, null, null, cause);
            this.partialText = partialText == null ? "" : partialText;
        }

        /** The text delivered before the failure. */
        public String partialText() {
            return partialText;
        }

        @Override public String code() { return "stream_interrupted"; }
        @Override public int httpStatus() { return 502; }
    }

    // ---------------------------------------------------------------- non-retriable family

    /** Failures that repeat on retry: bad input, bad credentials, exhausted quota or budget, unknown model. */
    public abstract static sealed class NonRetriable extends GatewayException
            permits InvalidRequest, UnknownModel, AuthFailed, QuotaExhausted, ContextLengthExceeded, ModelNotFound,
            BudgetExceeded, Cancelled {
        protected NonRetriable(String message, String provider, String model, Integer upstreamStatus, Throwable cause) {
            super(message, provider, model, upstreamStatus, cause);
        }
    }

    /** A parameter is invalid (ours, or the provider's 400/413/422). */
    public static final class InvalidRequest extends NonRetriable {
        private final String field;

        /** A gateway-side validation failure of {@code field}. */
        public InvalidRequest(String field, String message) {
            this(field, message, null, null, null);
        }

        public InvalidRequest(String field, String message, String provider, String model, Integer upstreamStatus) {
            super(message, provider, model, upstreamStatus, null);
            this.field = field;
        }

        /** The offending request field ({@code maxTokens}, {@code messages[2].role}...), or null if unknown. */
        public String field() {
            return field;
        }

        @Override public String code() { return "invalid_request"; }
        @Override public int httpStatus() { return 400; }
    }

    /** The model reference names no configured provider, or a model outside the provider's allow-list. */
    public static final class UnknownModel extends NonRetriable {
        private final String modelRef;
        private final List<String> knownModels;

        public UnknownModel(String modelRef, List<String> knownModels) {
            super("unknown model '" + modelRef + "'; known models: " + String.join(", ", knownModels),
                    null, null, null, null);
            this.modelRef = modelRef;
            this.knownModels = List.copyOf(knownModels);
        }

        public String modelRef() {
            return modelRef;
        }

        /** Known refs; a provider without allow-list appears as {@code provider/*}. */
        public List<String> knownModels() {
            return knownModels;
        }

        @Override public String code() { return "unknown_model"; }
        @Override public int httpStatus() { return 404; }
    }

    /** The provider rejected the credentials (401/403). The message never contains the key. */
    public static final class AuthFailed extends NonRetriable {
        public AuthFailed(String message, String provider, String model, Integer upstreamStatus) {
            super(message, provider, model, upstreamStatus, null);
        }

        @Override public String code() { return "provider_auth_failed"; }
        @Override public int httpStatus() { return 502; }
    }

    /** The provider account's quota, credit or spend limit is exhausted (402, or 429 {@code insufficient_quota}). */
    public static final class QuotaExhausted extends NonRetriable {
        public QuotaExhausted(String message, String provider, String model, Integer upstreamStatus) {
            super(message, provider, model, upstreamStatus, null);
        }

        @Override public String code() { return "provider_quota_exhausted"; }
        @Override public int httpStatus() { return 502; }
    }

    /** The input does not fit the model's context window. Fallback chains move on to the next model. */
    public static final class ContextLengthExceeded extends NonRetriable {
        public ContextLengthExceeded(String message, String provider, String model, Integer upstreamStatus) {
            super(message, provider, model, upstreamStatus, null);
        }

        @Override public String code() { return "context_length_exceeded"; }
        @Override public int httpStatus() { return 400; }
    }

    /** The provider does not know the model (its 404). */
    public static final class ModelNotFound extends NonRetriable {
        public ModelNotFound(String message, String provider, String model, Integer upstreamStatus) {
            super(message, provider, model, upstreamStatus, null);
        }

        @Override public String code() { return "model_not_found"; }
        @Override public int httpStatus() { return 404; }
    }

    /** The workspace has spent its budget; no provider was called. */
    public static final class BudgetExceeded extends NonRetriable {
        private final String workspaceId;
        private final BigDecimal limit;
        private final BigDecimal spent;

        public BudgetExceeded(String workspaceId, BigDecimal limit, BigDecimal spent) {
            super("workspace '" + workspaceId + "' has spent its budget (" + spent.toPlainString() + " of "
                    + limit.toPlainString() + " USD)", null, null, null, null);
            this.workspaceId = workspaceId;
            this.limit = limit;
            this.spent = spent;
        }

        public String workspaceId() {
            return workspaceId;
        }

        public BigDecimal limit() {
            return limit;
        }

        public BigDecimal spent() {
            return spent;
        }

        @Override public String code() { return "budget_exceeded"; }
        @Override public int httpStatus() { return 429; }
    }

    /** The caller's thread was interrupted (e.g. the run was cancelled); the upstream call was cancelled too. */
    public static final class Cancelled extends NonRetriable {
        public Cancelled(String message, String provider, String model, Throwable cause) {
            super(message, provider, model, null, cause);
        }

        @Override public String code() { return "cancelled"; }
        @Override public int httpStatus() { return 499; }
    }
}
