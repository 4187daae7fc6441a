package dev.switchboard.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retries, Retry-After, breakers, fallbacks, balancing and timeouts, seen from the caller. No real waiting. */
class ResilienceTest extends GatewayTestSupport {

    @Test
    void honoursRetryAfterOf429ThenSucceeds() {
        WIRE.stubFor(post(urlPathEqualTo(chatPath("a"))).inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"))
                .willSetStateTo("recovered"));
        WIRE.stubFor(post(urlPathEqualTo(chatPath("a"))).inScenario("429").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(chat("ok", 5, 1))));
        ModelGateway g = gateway(config().build());

        ModelResponse r = g.call(ask("a/gpt-4o-mini"), CallContext.defaults());

        assertThat(r.text()).isEqualTo("ok");
        assertThat(requests("a")).isEqualTo(2);
        assertThat(sleeper.sleeps()).hasSize(1);
        assertThat(sleeper.sleeps().getFirst()).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3300));
        assertThat(meters.get("switchboard.gateway.retries").tag("error.type", "rate_limited").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void failedAndSuccessfulAttemptsAreMeteredWithTheSameTagKeys() {
        WIRE.stubFor(post(urlPathEqualTo(chatPath("a"))).inScenario("503").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"busy\"}}"))
                .willSetStateTo("recovered"));
        WIRE.stubFor(post(urlPathEqualTo(chatPath("a"))).inScenario("503").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(chat("ok", 5, 1))));
        ModelGateway g = gateway(config().build());

        g.call(ask("a/gpt-4o-mini"), CallContext.defaults());

        // Prometheus refuses meters of one name with different tag keys: a failed attempt must not lack any
        var failed = meters.get("gen_ai.client.operation.duration").tag("error.type", "provider_error").timer();
        var succeeded = meters.get("gen_ai.client.operation.duration").tag("error.type", "none").timer();
        assertThat(failed.count()).isEqualTo(1);
        assertThat(succeeded.count()).isEqualTo(1);
        assertThat(failed.getId().getTag("gen_ai.response.model")).isEqualTo("unknown");
        assertThat(failed.getId().getTags().stream().map(io.micrometer.core.instrument.Tag::getKey).toList())
                .isEqualTo(succeeded.getId().getTags().stream().map(io.micrometer.core.instrument.Tag::getKey).toList());
    }

    @Test
    void retriesWithExponentialBackoffThenGivesUp() {
        fail("a", 503);
        ModelGateway g = gateway(config().build());

        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()))
                .isInstanceOf(GatewayException.ProviderError.class)
                .hasMessageContaining("upstream says 503");

        assertThat(requests("a")).isEqualTo(3);
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void jitterSpreadsTheBackoff() {
        fail("a", 500);
        ResilienceConfig jittery = new ResilienceConfig(6, Duration.ofMillis(1000), 1.0, null, 0.5, null, null, null,
                null, null, null);
        ModelGateway g = gateway(config().resilience(jittery).build());

        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()));

        assertThat(sleeper.sleeps()).hasSize(5)
                .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500)));
        assertThat(sleeper.sleeps().stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void nonRetriableErrorsAreNotRetriedNorFallenBackFrom() {
        fail("a", 401);
        answer("b", "from b", 1, 1);
        ModelGateway g = gateway(config().build());

        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini", "b/gpt-4o-mini"), CallContext.defaults()))
                .isInstanceOf(GatewayException.AuthFailed.class);
        assertThat(requests("a")).isEqualTo(1);
        assertThat(requests("b")).isZero();
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void retryAfterLongerThanTheCapSkipsToTheFallback() {
        stub("a", aResponse().withStatus(429).withHeader("Retry-After", "120").withBody("{\"error\":{\"message\":\"slow down\"}}"));
        answer("b", "from b", 1, 1);
        ModelGateway g = gateway(config().build());

        ModelResponse r = g.call(ask("a/gpt-4o-mini", "b/gpt-4o-mini"), CallContext.defaults());

        assertThat(r.provider()).isEqualTo("b");
        assertThat(requests("a")).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void a503StormOpensTheBreakerAndTheFallbackTakesOver() {
        fail("a", 503);
        answer("b", "from b", 3, 2);
        ModelGateway g = gateway(config().resilience(new ResilienceConfig(2, Duration.ofMillis(100), 2.0, null, 0.0,
                null, 50f, 4, 4, Duration.ofSeconds(30), 1)).build());

        for (int i = 0; i < 6; i++) {
            ModelResponse r = g.call(ask("a/gpt-4o-mini", "b/gpt-4o-mini"), CallContext.defaults());
            assertThat(r.provider()).isEqualTo("b");
            assertThat(r.text()).isEqualTo("from b");
        }

        // two calls × two attempts opened the circuit; the next four never reached provider a
        assertThat(requests("a")).isEqualTo(4);
        assertThat(requests("b")).isEqualTo(6);
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "a/gpt-4o-mini#0")
                .tag("state", "open").gauge().value()).isEqualTo(1.0);
        // two fallbacks after exhausted retries (provider_error), four straight from the open circuit (unavailable)
        assertThat(meters.get("switchboard.gateway.fallbacks").tag("error.type", "provider_error").counter().count())
                .isEqualTo(2.0);
        assertThat(meters.get("switchboard.gateway.fallbacks").tag("error.type", "unavailable").counter().count())
                .isEqualTo(4.0);

        // after the open period a probe goes through; a recovered provider closes the circuit
        WIRE.resetAll();
        answer("a", "from a", 1, 1);
        clock.advance(Duration.ofSeconds(31));
        assertThat(g.call(ask("a/gpt-4o-mini", "b/gpt-4o-mini"), CallContext.defaults()).provider()).isEqualTo("a");
        assertThat(meters.get("resilience4j.circuitbreaker.state").tag("name", "a/gpt-4o-mini#0")
                .tag("state", "closed").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void anOpenCircuitSaysInTheErrorWhyAndForHowLong() {
        fail("a", 503);
        ModelGateway g = gateway(config().resilience(new ResilienceConfig(2, Duration.ofMillis(100), 2.0, null, 0.0,
                null, 50f, 4, 4, Duration.ofSeconds(30), 1)).build());
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()))
                    .isInstanceOf(GatewayException.ProviderError.class);
        }

        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()))
                .isInstanceOfSatisfying(GatewayException.Unavailable.class, e -> assertThat(e.reason())
                        .isEqualTo(GatewayException.Unavailable.Reason.CIRCUIT_OPEN))
                .hasMessage("every deployment of a/gpt-4o-mini has an open circuit: 4 of its last 4 calls failed, so it "
                        + "is not called for 30 s after the circuit opened (the gateway log names the failure; see "
                        + "switchboard.gateway.resilience)");
        assertThat(requests("a")).isEqualTo(4);
    }

    @Test
    void contextLengthErrorFallsBackToTheNextModel() {
        stub("a", aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\",\"type\":"
                        + "\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}"));
        answer("b", "long context ok", 9000, 3);
        ModelGateway g = gateway(config().build());

        ModelResponse r = g.call(ask("a/gpt-4", "b/gpt-4o"), CallContext.defaults());

        assertThat(r.provider()).isEqualTo("b");
        assertThat(requests("a")).isEqualTo(1);
        assertThat(meters.get("switchboard.gateway.fallbacks").tag("error.type", "context_length_exceeded")
                .counter().count()).isEqualTo(1.0);
    }

    @Test
    void configuredFallbackChainAppliesToSingleModelRequests() {
        fail("a", 502);
        answer("b", "from b", 1, 1);
        ModelGateway g = gateway(config().fallback("a/gpt-4o-mini", List.of("b/gpt-4o-mini")).build());

        assertThat(g.call(ask("a/gpt-4o-mini"), CallContext.defaults()).provider()).isEqualTo("b");
    }

    @Test
    void weightedBalancingFollowsWeightsAndSkipsAnOpenCircuit() {
        answer("e1", "one", 1, 1);
        answer("e2", "two", 1, 1);
        ProviderConfig balanced = ProviderConfig.of("openai", null, "sk-shared-0123456789").withEndpoints(List.of(
                new EndpointConfig(URI.create(WIRE.baseUrl() + "/e1/v1"), null, 3),
                new EndpointConfig(URI.create(WIRE.baseUrl() + "/e2/v1"), "sk-second-0123456789", 1)));
        ModelGateway g = gateway(GatewayConfig.builder().provider("lb", balanced).resilience(resilience()).build());

        int ones = 0;
        for (int i = 0; i < 400; i++) {
            if (g.call(ask("lb/gpt-4o-mini"), CallContext.defaults()).text().equals("one")) {
                ones++;
            }
        }
        assertThat(ones).isBetween(270, 330);
        assertThat(WIRE.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlPathEqualTo(chatPath("e2")))).getFirst().getHeader("Authorization"))
                .isEqualTo("Bearer sk-second-0123456789");

        fail("e1", 503);
        for (int i = 0; i < 20; i++) {
            assertThat(g.call(ask("lb/gpt-4o-mini"), CallContext.defaults()).text()).isEqualTo("two");
        }
        int e1Failures = requests("e1") - ones;
        assertThat(e1Failures).isLessThanOrEqualTo(4);
    }

    @Test
    void slowProviderTimesOutAndTheFallbackAnswers() {
        stub("a", aResponse().withFixedDelay(1_000).withHeader("Content-Type", "application/json").withBody(chat("late", 1, 1)));
        answer("b", "on time", 1, 1);
        ModelGateway g = gateway(GatewayConfig.builder()
                .provider("a", provider("a").withTimeouts(Duration.ofMillis(200), null))
                .provider("b", provider("b"))
                .resilience(new ResilienceConfig(1, null, null, null, null, null, null, null, null, null, null)).build());

        ModelResponse r = g.call(ask("a/gpt-4o-mini", "b/gpt-4o-mini"), CallContext.defaults());

        assertThat(r.provider()).isEqualTo("b");
        assertThat(meters.get("gen_ai.client.operation.duration").tag("switchboard.provider", "a")
                .tag("error.type", "timeout").timer().count()).isEqualTo(1);
    }

    @Test
    void passedDeadlineFailsWithoutCallingTheProvider() {
        answer("a", "never", 1, 1);
        ModelGateway g = gateway(config().build());

        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"),
                CallContext.of("w").withDeadline(clock.instant().minusSeconds(1))))
                .isInstanceOf(GatewayException.Timeout.class)
                .hasMessageContaining("deadline");
        assertThat(requests("a")).isZero();
    }

    @Test
    void workspaceCredentialsReplaceTheConfiguredKey() {
        answer("a", "ok", 1, 1);
        ModelGateway g = ModelGateway.builder().config(config().build()).clock(clock).sleeper(sleeper)
                .credentials((ws, provider) -> ws.equals("acme") && provider.equals("a")
                        ? java.util.Optional.of(Secret.of("sk-acme-own-key-99")) : java.util.Optional.empty())
                .build();
        try {
            g.call(ask("a/gpt-4o-mini"), CallContext.of("acme"));
            g.call(ask("a/gpt-4o-mini"), CallContext.of("other"));
        } finally {
            g.close();
        }

        var sent = WIRE.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(chatPath("a"))));
        assertThat(sent.get(0).getHeader("Authorization")).isEqualTo("Bearer sk-acme-own-key-99");
        assertThat(sent.get(1).getHeader("Authorization")).isEqualTo("Bearer sk-a-key-0123456789");
    }

    @Test
    void bulkheadRejectsCallsBeyondTheProvidersConcurrencyLimit() throws Exception {
        stub("a", aResponse().withFixedDelay(400).withHeader("Content-Type", "application/json").withBody(chat("ok", 1, 1)));
        ModelGateway g = gateway(GatewayConfig.builder().provider("a", provider("a").withLimits(1, null, null))
                .resilience(new ResilienceConfig(1, null, null, null, null, null, null, null, null, null, null)).build());
        var first = Thread.ofVirtual().start(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (WIRE.getAllServeEvents().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }

        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()))
                .isInstanceOfSatisfying(GatewayException.Unavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(GatewayException.Unavailable.Reason.BULKHEAD_FULL));
        first.join();
        // the gateway's own concurrency limit says nothing about the provider's health
        assertThat(meters.get("resilience4j.circuitbreaker.buffered.calls").tag("kind", "failed").gauge().value())
                .isZero();
        assertThat(meters.get("resilience4j.circuitbreaker.buffered.calls").tag("kind", "successful").gauge().value())
                .isEqualTo(1.0);
    }
}
