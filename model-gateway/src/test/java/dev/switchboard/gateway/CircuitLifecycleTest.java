package dev.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every transition of a deployment's circuit, as the caller sees it (failure rate over 4 calls ≥ 50 % opens it
 * for 30 s; one probe when half-open):
 *
 * <pre>
 * CLOSED    --failure rate reached-->  OPEN       calls fail fast, provider not called
 * OPEN      --open period over------>  HALF_OPEN  next call is a probe
 * HALF_OPEN --probe succeeds-------->  CLOSED
 * HALF_OPEN --probe fails----------->  OPEN
 * CLOSED    --successes------------->  CLOSED     (failures below the rate do not open it)
 * </pre>
 */
class CircuitLifecycleTest extends GatewayTestSupport {

    private static final String BREAKER = "a/gpt-4o-mini#0";

    private ModelGateway g;

    private ModelGateway gateway() {
        g = gateway(GatewayConfig.builder().provider("a", provider("a"))
                .resilience(new ResilienceConfig(1, null, null, null, null, null, 50f, 4, 4, Duration.ofSeconds(30), 1))
                .build());
        return g;
    }

    private String state() {
        for (String s : new String[] {"closed", "open", "half_open"}) {
            if (meters.get("resilience4j.circuitbreaker.state").tag("name", BREAKER).tag("state", s).gauge().value() == 1) {
                return s;
            }
        }
        return "other";
    }

    private void callExpectingFailure() {
        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()))
                .isInstanceOf(GatewayException.Retriable.class);
    }

    @Test
    void closedStaysClosedWhileFailuresStayBelowTheRate() {
        gateway();
        answer("a", "ok", 1, 1);
        g.call(ask("a/gpt-4o-mini"), CallContext.defaults());
        g.call(ask("a/gpt-4o-mini"), CallContext.defaults());
        g.call(ask("a/gpt-4o-mini"), CallContext.defaults());
        fail("a", 500);
        callExpectingFailure();

        assertThat(state()).isEqualTo("closed");
    }

    @Test
    void closedToOpenWhenTheFailureRateIsReachedThenCallsFailFast() {
        gateway();
        fail("a", 503);
        for (int i = 0; i < 4; i++) {
            callExpectingFailure();
        }
        assertThat(state()).isEqualTo("open");

        assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()))
                .isInstanceOfSatisfying(GatewayException.Unavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(GatewayException.Unavailable.Reason.CIRCUIT_OPEN));
        assertThat(requests("a")).isEqualTo(4);
    }

    @Test
    void openToHalfOpenAfterTheOpenPeriodThenClosedWhenTheProbeSucceeds() {
        gateway();
        fail("a", 503);
        for (int i = 0; i < 4; i++) {
            callExpectingFailure();
        }
        clock.advance(Duration.ofSeconds(31));
        answer("a", "ok", 1, 1);

        assertThat(g.call(ask("a/gpt-4o-mini"), CallContext.defaults()).text()).isEqualTo("ok");
        assertThat(state()).isEqualTo("closed");
    }

    @Test
    void halfOpenBackToOpenWhenTheProbeFails() {
        gateway();
        fail("a", 503);
        for (int i = 0; i < 4; i++) {
            callExpectingFailure();
        }
        clock.advance(Duration.ofSeconds(31));

        callExpectingFailure();   // the probe reaches the provider and fails
        assertThat(state()).isEqualTo("open");
        assertThat(requests("a")).isEqualTo(5);
    }

    @Test
    void nonRetriableErrorsDoNotCountAgainstTheCircuit() {
        gateway();
        fail("a", 400);
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> g.call(ask("a/gpt-4o-mini"), CallContext.defaults()))
                    .isInstanceOf(GatewayException.InvalidRequest.class);
        }
        assertThat(state()).isEqualTo("closed");
    }
}
