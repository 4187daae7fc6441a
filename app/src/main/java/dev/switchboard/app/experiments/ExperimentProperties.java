package dev.switchboard.app.experiments;

import static dev.switchboard.app.support.PropertyChecks.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Model experiments ({@code switchboard.experiments.*}).
 *
 * @param concurrency variants of one experiment calling models at once
 * @param maxVariants variants one experiment may have (models × parameter sets)
 * @param timeout     how long one variant's model call may take (and rendering an app node's prompt)
 */
@ConfigurationProperties("switchboard.experiments")
record ExperimentProperties(@DefaultValue("8") int concurrency, @DefaultValue("16") int maxVariants,
        @DefaultValue("2m") Duration timeout) {
    ExperimentProperties {
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("switchboard.experiments.concurrency must be between 1 and 256");
        }
        if (maxVariants < 1 || maxVariants > 256) {
            throw new IllegalArgumentException("switchboard.experiments.max-variants must be between 1 and 256");
        }
        positive(timeout, "switchboard.experiments.timeout");
    }
}
