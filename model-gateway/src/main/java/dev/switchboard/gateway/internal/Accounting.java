package dev.switchboard.gateway.internal;

import dev.switchboard.gateway.BudgetStore;
import dev.switchboard.gateway.GatewayException;
import dev.switchboard.gateway.ModelPrice;
import dev.switchboard.gateway.Usage;
import java.math.BigDecimal;

/** Prices calls, charges workspace budgets and rejects calls of workspaces that have spent theirs. Thread-safe. */
final class Accounting {

    private final PriceTable prices;
    private final BudgetStore budgets;
    private final GatewayMetrics metrics;

    Accounting(PriceTable prices, BudgetStore budgets, GatewayMetrics metrics) {
        this.prices = prices;
        this.budgets = budgets;
        this.metrics = metrics;
    }

    /** @throws GatewayException.BudgetExceeded when the workspace's spending has reached its limit */
    void checkBudget(String workspace) {
        var budget = budgets.budget(workspace);
        if (budget.isPresent() && budget.get().exhausted()) {
            metrics.rejected("budget");
            throw new GatewayException.BudgetExceeded(workspace, budget.get().limit(), budget.get().spent());
        }
    }

    /**
     * Prices a finished (or interrupted) call, charges the workspace and counts the cost.
     *
     * @param billed the provider's billed counts when it reports them apart from usage, else null
     * @return the cost in USD, or null when the model has no price
     */
    BigDecimal charge(String workspace, ProviderRuntime provider, String model, String reportedModel, Usage usage,
                      Usage billed) {
        ModelPrice price = prices.find(provider.name(), provider.type(), model);
        if (price == null && reportedModel != null) {
            price = prices.find(provider.name(), provider.type(), reportedModel);
        }
        if (price == null) {
            return null;
        }
        BigDecimal cost = PriceTable.cost(price, billed != null ? billed : usage);
        budgets.charge(workspace, cost);
        metrics.cost(provider.name(), model, cost);
        return cost;
    }
}
