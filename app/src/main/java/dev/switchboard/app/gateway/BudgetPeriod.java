package dev.switchboard.app.gateway;

import java.time.LocalDate;
import java.util.Locale;

/** The window a workspace budget applies to; windows are UTC calendar days and months. */
public enum BudgetPeriod {
    /** Resets at 00:00 UTC. */
    DAILY,
    /** Resets on the first of each month, 00:00 UTC. */
    MONTHLY,
    /** Never resets. */
    TOTAL;

    private static final LocalDate EPOCH = LocalDate.of(1970, 1, 1);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static BudgetPeriod parse(String value) {
        for (BudgetPeriod p : values()) {
            if (p.wireName().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("period must be one of daily, monthly, total (was '" + value + "')");
    }

    /** The first day counted on {@code today}. */
    public LocalDate start(LocalDate today) {
        return switch (this) {
            case DAILY -> today;
            case MONTHLY -> today.withDayOfMonth(1);
            case TOTAL -> EPOCH;
        };
    }

    /** The first day of the next window, or null when the window never ends. */
    public LocalDate nextStart(LocalDate today) {
        return switch (this) {
            case DAILY -> today.plusDays(1);
            case MONTHLY -> today.withDayOfMonth(1).plusMonths(1);
            case TOTAL -> null;
        };
    }
}
