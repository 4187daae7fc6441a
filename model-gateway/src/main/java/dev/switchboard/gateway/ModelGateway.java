package dev.switchboard.gateway;

import dev.switchboard.gateway.internal.DefaultModelGateway;
import dev.switchboard.gateway.spi.ProviderFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ProxySelector;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.random.RandomGenerator;

/**
 * One entry point to every configured model provider. Thread-safe; build one per application with
 * {@link #builder()} and share it. Calls block the calling thread (use virtual threads).
 *
 * <p>Every call: validates the request, resolves the model refs (unknown → {@link GatewayException.UnknownModel}),
 * checks the workspace budget, serves deterministic requests from the cache when enabled, then tries each ref of
 * the fallback chain with retries, circuit breakers, bulkheads, time limits and RPM/TPM limits, and finally
 * records tokens, cost and metrics.
 */
public interface ModelGateway extends AutoCloseable {

    /**
     * Calls a model and waits for the whole answer.
     *
     * @throws GatewayException on every failure (sealed: retriable or non-retriable)
     */
    ModelResponse call(ModelRequest request, CallContext context);

    /**
     * Calls a model as a stream: {@code listener} gets text as it arrives; returns the final response.
     * Retries and fallbacks happen only before the first text reaches the listener; a failure after that throws
     * {@link GatewayException.StreamInterrupted} — a stream never ends normally without its end marker.
     */
    ModelResponse stream(ModelRequest request, CallContext context, StreamListener listener);

    /**
     * The stream as a cold {@link Flow.Publisher}: each subscription runs one call on a virtual thread, honouring
     * demand. See {@link StreamEvent} for the item protocol.
     */
    Flow.Publisher<StreamEvent> streamPublisher(ModelRequest request, CallContext context);

    /** Every routable model ref, in configuration order. */
    List<ModelInfo> models();

    /** Closes provider connections. */
    @Override
    void close();

    static Builder builder() {
        return new Builder();
    }

    /** Builds a gateway. Only {@link #config} is required. */
    final class Builder {
        private GatewayConfig config;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private MeterRegistry meterRegistry;
        private BudgetStore budgetStore = BudgetStore.UNLIMITED;
        private CredentialResolver credentials = CredentialResolver.NONE;
        private RandomGenerator random;
        private ProxySelector proxy;
        private final Map<String, ProviderFactory> factories = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder config(GatewayConfig value) { this.config = value; return this; }
        /** Time source for circuit breakers, rate limiters and the cache (default: system UTC). */
        public Builder clock(Clock value) { this.clock = Objects.requireNonNull(value, "clock"); return this; }
        /** Waits between retries (default: {@link Sleeper#SYSTEM}). */
        public Builder sleeper(Sleeper value) { this.sleeper = Objects.requireNonNull(value, "sleeper"); return this; }
        /** Where metrics go (default: a private {@link SimpleMeterRegistry}). */
        public Builder meterRegistry(MeterRegistry value) { this.meterRegistry = value; return this; }
        public Builder budgetStore(BudgetStore value) { this.budgetStore = Objects.requireNonNull(value, "budgetStore"); return this; }
        public Builder credentials(CredentialResolver value) { this.credentials = Objects.requireNonNull(value, "credentials"); return this; }
        /** Randomness for jitter and weighted balancing; must be thread-safe (default: {@link java.util.Random}). */
        public Builder random(RandomGenerator value) { this.random = value; return this; }

        /**
         * Opens HTTP providers' connections through this selector's proxies (default: direct). The app uses it to
         * send workspaces' own endpoints through its SSRF guard, which connects only to addresses it vetted.
         */
        public Builder proxy(ProxySelector value) { this.proxy = value; return this; }

        /** Registers (or replaces) the factory of a provider type, e.g. {@code local} for an in-process engine. */
        public Builder providerFactory(String type, ProviderFactory factory) {
            factories.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /**
         * Builds the gateway and its providers.
         *
         * @throws IllegalArgumentException naming the provider and setting when the configuration is invalid
         */
        public ModelGateway build() {
            if (config == null) {
                throw new IllegalArgumentException("config must be given");
            }
            return new DefaultModelGateway(config, clock, sleeper,
                    meterRegistry == null ? new SimpleMeterRegistry() : meterRegistry, budgetStore, credentials,
                    random == null ? new java.util.Random() : random, Map.copyOf(factories), proxy);
        }
    }
}
