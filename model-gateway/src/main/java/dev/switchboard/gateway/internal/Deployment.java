package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.spi.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One deployment: provider + model + endpoint (+ the key in use). Owns its circuit breaker and RPM/TPM limits.
 *
 * @param id       {@code provider/model#endpoint[@keyFingerprint]}; names the breaker and appears in metrics
 * @param provider the provider
 * @param model    the model name
 * @param endpoint where and with which key to call
 * @param breaker  the deployment's circuit
 * @param limits   the deployment's RPM/TPM buckets
 */
record Deployment(String id, ProviderRuntime provider, String model, Endpoint endpoint, CircuitBreaker breaker,
                  TokenBuckets limits) {
}
