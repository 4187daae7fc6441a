package dev.switchboard.app.twilio;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Twilio metrics at {@code /actuator/prometheus}:
 * {@code switchboard_twilio_webhooks_total{kind=sms|status, outcome}} (outcome: run, duplicate,
 * opt_out, opt_in, help, recorded, forbidden, not_found, bad_request),
 * {@code switchboard_twilio_ack_seconds} (time to answer an SMS webhook, with percentiles), and
 * {@code switchboard_twilio_sends_total{outcome=accepted|failed|unknown|opted_out|inline}}.
 */
@Component
class TwilioMetrics {

    private final Meter.MeterProvider<Counter> webhooks;
    private final Meter.MeterProvider<Counter> sends;
    private final Timer ack;

    TwilioMetrics(MeterRegistry registry) {
        this.webhooks = Counter.builder("switchboard.twilio.webhooks").description("Twilio webhooks by outcome")
                .withRegistry(registry);
        this.sends = Counter.builder("switchboard.twilio.sends").description("Outbound SMS by outcome")
                .withRegistry(registry);
        this.ack = Timer.builder("switchboard.twilio.ack").description("Time to acknowledge an SMS webhook")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void webhook(String kind, String outcome) {
        webhooks.withTags("kind", kind, "outcome", outcome).increment();
    }

    void ack(Duration duration) {
        ack.record(duration);
    }

    void send(String outcome) {
        sends.withTags("outcome", outcome).increment();
    }
}
