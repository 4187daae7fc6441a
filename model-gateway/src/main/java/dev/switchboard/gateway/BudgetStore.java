package dev.switchboard.gateway;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * Per-workspace spending limits. The gateway checks {@link #budget} before each call (rejecting with
 * {@link GatewayException.BudgetExceeded} once {@code spent >= limit}) and {@link #charge}s the cost of every
 * call that reached a provider — streamed and interrupted calls included.
 *
 * <p>Implementations must be thread-safe. {@link InMemoryBudgetStore} keeps budgets in memory; the app may
 * provide a persistent one.
 */
public interface BudgetStore {

    /** No budgets: nothing is ever rejected. */
    BudgetStore UNLIMITED = new BudgetStore() {
        @Override
        public Optional<Budget> budget(String workspaceId) {
            return Optional.empty();
        }

        @Override
        public void charge(String workspaceId, BigDecimal cost) {
        }
    };

    /** The workspace's budget, or empty when it has none. */
    Optional<Budget> budget(String workspaceId);

    /** Adds the cost (USD, ≥ 0) of a finished call. */
    void charge(String workspaceId, BigDecimal cost);

    /**
     * @param limit USD the workspace may spend
     * @param spent USD spent so far
     */
    record Budget(BigDecimal limit, BigDecimal spent) {

        public boolean exhausted() {
            return spent.compareTo(limit) >= 0;
        }
    }
}
