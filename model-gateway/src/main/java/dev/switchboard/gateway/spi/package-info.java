/**
 * Provider SPI: what a provider implements to sit behind the gateway. The gateway wraps every provider in the
 * same retry, circuit breaker, bulkhead, time limit, rate limits, accounting and metrics, so a provider only
 * translates one call to its API and back. HTTP providers live in {@code internal}; an in-process engine
 * (the local GPT-J provider) implements the same two methods.
 */
package dev.switchboard.gateway.spi;
