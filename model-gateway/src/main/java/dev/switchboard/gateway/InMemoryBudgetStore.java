package dev.switchboard.gateway;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Budgets in memory (lost on restart). Thread-safe. */
public final class InMemoryBudgetStore implements BudgetStore {

    private final Map<String, BigDecimal> limits = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> spent = new ConcurrentHashMap<>();

    /** Sets (or replaces) the workspace's limit in USD. */
    public InMemoryBudgetStore limit(String workspaceId, BigDecimal usd) {
        if (usd == null || usd.signum() < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        limits.put(workspaceId, usd);
        return this;
    }

    /** Forgets what the workspace spent (e.g. at the start of a billing period). */
    public void reset(String workspaceId) {
        spent.remove(workspaceId);
    }

    public BigDecimal spent(String workspaceId) {
        return spent.getOrDefault(workspaceId, BigDecimal.ZERO);
    }

    @Override
    public Optional<Budget> budget(String workspaceId) {
        BigDecimal limit = limits.get(workspaceId);
        return limit == null ? Optional.empty() : Optional.of(new Budget(limit, spent(workspaceId)));
    }

    @Override
    public void charge(String workspaceId, BigDecimal cost) {
        if (cost != null && cost.signum() > 0) {
            spent.merge(workspaceId, cost, BigDecimal::add);
        }
    }
}
