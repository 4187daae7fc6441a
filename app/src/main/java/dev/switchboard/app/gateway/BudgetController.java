package dev.switchboard.app.gateway;

import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.keys.KeyRole;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Budget", description = "The workspace's spending limit for model calls, and what it spent")
class BudgetController {

    private final PostgresBudgetStore budgets;

    BudgetController(PostgresBudgetStore budgets) {
        this.budgets = budgets;
    }

    /**
     * @param limitUsd USD the workspace may spend per period; 0 stops all paid model calls
     * @param period   {@code daily}, {@code monthly} (default) or {@code total}
     */
    record SetBudgetRequest(@NotNull @PositiveOrZero @DecimalMax("100000000000000") BigDecimal limitUsd,
                            @Pattern(regexp = "daily|monthly|total", message = "must be one of daily, monthly, total")
                            String period) {
    }

    /**
     * A workspace's budget and spend. Without a budget, {@code limitUsd} is null and the spend is
     * that of the current calendar month.
     *
     * @param periodStart  first instant counted
     * @param resetsAt     when the spend starts again from 0 (null for {@code total})
     * @param spentUsd     spend in the period, all replicas (theirs within {@code switchboard.budgets.refresh-interval})
     * @param remainingUsd what is left (never negative), null without a budget
     * @param exhausted    true once model calls are refused with 429 {@code budget_exceeded}
     */
    record BudgetView(BigDecimal limitUsd, String period, Instant periodStart, Instant resetsAt, BigDecimal spentUsd,
                      BigDecimal remainingUsd, boolean exhausted, Instant updatedAt) {
    }

    @GetMapping("/api/v1/budget")
    @Operation(summary = "The workspace's budget and its spend in the current period")
    BudgetView get(Caller caller) {
        caller.require(KeyRole.BUILD);
        return view(caller.workspaceId());
    }

    @PutMapping("/api/v1/budget")
    @Operation(summary = "Set the workspace's budget; model calls are refused (429) once the period's spend reaches it")
    BudgetView set(Caller caller, @Valid @RequestBody SetBudgetRequest request) {
        caller.require(KeyRole.ADMIN);
        BudgetPeriod period = request.period() == null ? BudgetPeriod.MONTHLY : BudgetPeriod.parse(request.period());
        budgets.setLimit(caller.workspaceId(), request.limitUsd(), period);
        return view(caller.workspaceId());
    }

    @DeleteMapping("/api/v1/budget")
    @Operation(summary = "Remove the workspace's budget (spend is still recorded)")
    ResponseEntity<Void> remove(Caller caller) {
        caller.require(KeyRole.ADMIN);
        budgets.removeLimit(caller.workspaceId());
        return ResponseEntity.noContent().build();
    }

    private BudgetView view(UUID workspace) {
        LocalDate today = budgets.today();
        var limit = budgets.limit(workspace);
        BudgetPeriod period = limit.map(PostgresBudgetStore.Limit::period).orElse(BudgetPeriod.MONTHLY);
        LocalDate start = period.start(today);
        LocalDate next = period.nextStart(today);
        BigDecimal spent = budgets.spentSince(workspace, start);
        BigDecimal cap = limit.map(PostgresBudgetStore.Limit::usd).orElse(null);
        return new BudgetView(cap, limit.isPresent() ? period.wireName() : null, start.atStartOfDay(ZoneOffset.UTC).toInstant(),
                next == null ? null : next.atStartOfDay(ZoneOffset.UTC).toInstant(), spent,
                cap == null ? null : cap.subtract(spent).max(BigDecimal.ZERO),
                cap != null && spent.compareTo(cap) >= 0, limit.map(PostgresBudgetStore.Limit::updatedAt).orElse(null));
    }
}
