package dev.switchboard.app.support;

import java.time.Duration;

/** Checks of configuration values: a bad one fails start-up with a message naming the property. */
public final class PropertyChecks {

    private PropertyChecks() {
    }

    /** {@code value} is set and longer than zero; else names {@code property} (its full name). */
    public static void positive(Duration value, String property) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be > 0");
        }
    }

    /** {@code value} is set and not negative (zero allowed); else names {@code property} (its full name). */
    public static void notNegative(Duration value, String property) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be >= 0");
        }
    }
}
