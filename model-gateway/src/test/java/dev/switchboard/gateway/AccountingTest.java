package dev.switchboard.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cost, budgets, RPM/TPM limits, the cache and metrics, as a caller and an operator see them. */
class AccountingTest extends GatewayTestSupport {

    @Test
    void costComesFromTheBuiltInPriceTableForDatedSnapshots() {
        answer("a", "ok", 1000, 1000);
        ModelGateway g = gateway(config().build());

        ModelResponse r = g.call(ask("a/gpt-4o-mini-2024-07-18"), CallContext.defaults());

        // gpt-4o-mini: 0.15 USD / 1M input, 0.60 USD / 1M output
        assertThat(r.cost()).isEqualByComparingTo("0.00075");
    }

    @Test
    void configuredPricesOverrideDefaultsAndUnknownModelsHaveNoCost() {
        answer("a", "ok", 1000, 1000);
        ModelGateway g = gateway(config().price("a/gpt-4o-mini", ModelPrice.of("1", "2")).build());

        assertThat(g.call(ask("a/gpt-4o-mini"), CallContext.defaults()).cost()).isEqualByComparingTo("0.003");
        stub("a", aResponse().withHeader("Content-Type", "application/json")
                .withBody(chat("ok", 1000, 1000).replace("gpt-4o-mini-2024-07-18", "ft:my-finetune:acme")));
        assertThat(g.call(ask("a/my-finetune"), CallContext.defaults()).cost()).isNull();
    }

    @Test
    void budgetExhaustionMidRunRejectsLaterCallsWithoutCallingTheProvider() {
        answer("a", "ok", 10, 2);
        ModelGateway g = gateway(config().price("a/gpt-4o-mini", ModelPrice.of("1000", "1000")).build());
        budgets.limit("acme", new BigDecimal("0.02"));

        g.call(ask("a/gpt-4o-mini"), CallContext.of("acme"));   // 0.012 spent
        g.call(ask("a/gpt-4o-mini"), CallContext.of("acme"));   // 0.024 spent: over the limit now
        var e = catchThrowableOfType(GatewayException.BudgetExceeded.class,
                () -> g.call(ask("a/gpt-4o-mini"), CallContext.of("acme")));

        assertThat(requests("a")).isEqualTo(2);
        assertThat(e.httpStatus()).isEqualTo(429);
        assertThat(e.spent()).isEqualByComparingTo("0.024");
        assertThat(e.limit()).isEqualByComparingTo("0.02");
        assertThat(g.call(ask("a/gpt-4o-mini"), CallContext.of("other")).text()).isEqualTo("ok");
    }

    @Test
    void streamedUsageTripsTheBudgetToo() {
        stub("a", aResponse().withHeader("Content-Type", "text/event-stream").withBody(sse(List.of("x", "y"), true)));
        ModelGateway g = gateway(config().price("a/gpt-4o-mini", ModelPrice.of("1000", "1000")).build());
        budgets.limit("acme", new BigDecimal("0.01"));

        g.stream(ask("a/gpt-4o-mini"), CallContext.of("acme"), t -> { });   // 10 + 2 tokens = 0.012

        assertThat(budgets.spent("acme")).isEqualByComparingTo("0.012");
        assertThatThrownBy(() -> g.stream(ask("a/gpt-4o-mini"), CallContext.of("acme"), t -> { }))
                .isInstanceOf(GatewayException.BudgetExceeded.class);
    }

    @Test
    void workspaceTpmLimitRejectsUntilTheMinuteRefillsIt() {
        answer("a", "ok", 80, 10);
        ModelGateway g = gateway(config().workspace("acme", new RateLimitConfig(null, 100)).build());

        g.call(ask("a/gpt-4o-mini"), CallContext.of("acme"));   // reserved ~29, settled at the real 90
        var e = catchThrowableOfType(GatewayException.RateLimited.class,
                () -> g.call(ask("a/gpt-4o-mini"), CallContext.of("acme")));

        assertThat(e.getMessage()).contains("workspace 'acme'").contains("tokens per minute");
        assertThat(e.provider()).isNull();
        assertThat(e.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(requests("a")).isEqualTo(1);
        assertThat(g.call(ask("a/gpt-4o-mini"), CallContext.of("other")).text()).isEqualTo("ok");

        clock.advance(Duration.ofMinutes(1));
        assertThat(g.call(ask("a/gpt-4o-mini"), CallContext.of("acme")).text()).isEqualTo("ok");
    }

    @Test
    void deploymentRpmLimitWaitsForTheRefillInsteadOfCallingTheProvider() {
        answer("a", "ok", 1, 1);
        ModelGateway g = gateway(GatewayConfig.builder().provider("a", provider("a").withLimits(null, 2, null))
                .resilience(resilience()).build());

        for (int i = 0; i < 3; i++) {
            g.call(ask("a/gpt-4o-mini"), CallContext.defaults());
        }

        assertThat(requests("a")).isEqualTo(3);
        assertThat(sleeper.sleeps()).hasSize(1);
        assertThat(sleeper.sleeps().getFirst()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(33));
    }

    @Test
    void deploymentTpmLimitThatNeedsMinutesToRefillMovesToTheFallback() {
        answer("a", "ok", 2500, 2500);
        answer("b", "from b", 1, 1);
        ModelGateway g = gateway(config().provider("a", provider("a").withLimits(null, null, 1000)).build());

        g.call(ask("a/gpt-4o-mini"), CallContext.defaults());
        ModelResponse r = g.call(ask("a/gpt-4o-mini", "b/gpt-4o-mini"), CallContext.defaults());

        assertThat(r.provider()).isEqualTo("b");
        assertThat(requests("a")).isEqualTo(1);
        assertThat(sleeper.sleeps()).isEmpty();
    }

    @Test
    void deterministicRequestsAreServedFromTheCacheUntilTheTtlPasses() {
        answer("a", "cached answer", 10, 2);
        ModelGateway g = gateway(config().cache(CacheConfig.enabled(Duration.ofMinutes(5), 100)).build());
        ModelRequest deterministic = ask("a/gpt-4o-mini").toBuilder().temperature(0.0).build();

        ModelResponse first = g.call(deterministic, CallContext.of("w"));
        ModelResponse second = g.call(deterministic, CallContext.of("w"));
        List<String> streamed = new ArrayList<>();
        ModelResponse third = g.stream(deterministic, CallContext.of("w"), streamed::add);

        assertThat(requests("a")).isEqualTo(1);
        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.text()).isEqualTo("cached answer");
        assertThat(second.cost()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(third.cached()).isTrue();
        assertThat(streamed).containsExactly("cached answer");
        assertThat(meters.get("switchboard.gateway.cache").tag("result", "hit").counter().count()).isEqualTo(2.0);

        g.call(deterministic, CallContext.of("another-workspace"));
        g.call(ask("a/gpt-4o-mini").toBuilder().temperature(0.7).build(), CallContext.of("w"));
        assertThat(requests("a")).isEqualTo(3);

        clock.advance(Duration.ofMinutes(6));
        assertThat(g.call(deterministic, CallContext.of("w")).cached()).isFalse();
        assertThat(requests("a")).isEqualTo(4);
    }

    @Test
    void metricsUseOpenTelemetryGenAiNamesAndNeverCarryKeys() {
        answer("a", "ok", 12, 3);
        ModelGateway g = gateway(config().build());

        g.call(ask("a/gpt-4o-mini"), CallContext.of("acme"));

        var duration = meters.get("gen_ai.client.operation.duration").tag("gen_ai.operation.name", "chat")
                .tag("gen_ai.provider.name", "openai").tag("gen_ai.request.model", "gpt-4o-mini")
                .tag("gen_ai.response.model", "gpt-4o-mini-2024-07-18").timer();
        assertThat(duration.count()).isEqualTo(1);
        assertThat(meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "input").summary().totalAmount())
                .isEqualTo(12.0);
        assertThat(meters.get("gen_ai.client.token.usage").tag("gen_ai.token.type", "output").summary().totalAmount())
                .isEqualTo(3.0);
        assertThat(meters.get("switchboard.gateway.cost").counter().count()).isPositive();
        for (Meter m : meters.getMeters()) {
            for (Tag t : m.getId().getTags()) {
                assertThat(t.getValue()).doesNotContain("sk-a-key").doesNotContain("acme");
            }
        }
    }
}
