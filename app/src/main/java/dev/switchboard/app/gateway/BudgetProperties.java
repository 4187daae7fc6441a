package dev.switchboard.app.gateway;

import static dev.switchboard.app.support.PropertyChecks.notNegative;
import static dev.switchboard.app.support.PropertyChecks.positive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code switchboard.budgets.*}: how workspace spend reaches PostgreSQL.
 *
 * @param flushInterval   charges are written in one batch this often (a crash loses at most this much spend)
 * @param refreshInterval how stale a replica's view of a workspace's budget and of other replicas' spend may get
 */
@ConfigurationProperties("switchboard.budgets")
public record BudgetProperties(@DefaultValue("1s") Duration flushInterval, @DefaultValue("5s") Duration refreshInterval) {

    public BudgetProperties {
        positive(flushInterval, "switchboard.budgets.flush-interval");
        notNegative(refreshInterval, "switchboard.budgets.refresh-interval");
    }
}
