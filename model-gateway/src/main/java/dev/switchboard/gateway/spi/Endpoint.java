package dev.switchboard.gateway.spi;

import dev.switchboard.gateway.Secret;
import java.net.URI;

/**
 * One deployment of a provider, as chosen by the gateway's load balancer for one attempt.
 *
 * @param id      stable id for breaker/limiter names and metrics: {@code <provider>#<index>} (no key material)
 * @param baseUrl the base URL (null for in-process providers)
 * @param apiKey  the key to send, or null
 * @param weight  share of traffic
 */
public record Endpoint(String id, URI baseUrl, Secret apiKey, int weight) {
}
