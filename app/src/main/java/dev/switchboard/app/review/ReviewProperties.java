package dev.switchboard.app.review;

import static dev.switchboard.app.support.PropertyChecks.positive;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Review settings ({@code switchboard.reviews.*}).
 *
 * @param webhookUrl    optional: POSTed a JSON {@code review.opened} event when a task opens
 *                      (operator configuration, so trusted; see {@link OutboundTargets})
 * @param webhookSecret optional: signs the webhook body, header {@code X-Switchboard-Signature: sha256=<hex HMAC>}
 * @param webhookTimeout how long one webhook call may take
 * @param sweepInterval how often this instance looks for timed-out tasks and waiting runs without a task
 * @param sweepBatch    tasks decided per sweep and transaction
 */
@ConfigurationProperties("switchboard.reviews")
record ReviewProperties(URI webhookUrl, String webhookSecret, @DefaultValue("5s") Duration webhookTimeout,
        @DefaultValue("5s") Duration sweepInterval, @DefaultValue("50") int sweepBatch) {
    ReviewProperties {
        if (webhookUrl != null && (webhookUrl.getScheme() == null || !webhookUrl.getScheme().matches("https?"))) {
            throw new IllegalArgumentException("switchboard.reviews.webhook-url must be an http(s) URL");
        }
        positive(sweepInterval, "switchboard.reviews.sweep-interval");
        if (sweepBatch < 1) {
            throw new IllegalArgumentException("switchboard.reviews.sweep-batch must be >= 1");
        }
    }
}
