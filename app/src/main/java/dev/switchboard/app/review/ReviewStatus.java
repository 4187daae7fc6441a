package dev.switchboard.app.review;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Lifecycle of a review task. {@link #next()} is the complete transition table: a task is
 * decided exactly once, by a person (approved, edited, rejected) or by its timeout.
 */
public enum ReviewStatus {
    OPEN,
    /** Approved as proposed; the run continues. */
    APPROVED,
    /** Approved with text the reviewer changed; the run continues with it. */
    EDITED,
    /** Rejected with a reason; the run ends {@code rejected}. */
    REJECTED,
    /** Nobody decided in time; the node's {@code onTimeout} decided (approve or reject). */
    TIMED_OUT;

    public Set<ReviewStatus> next() {
        return switch (this) {
            case OPEN -> EnumSet.of(APPROVED, EDITED, REJECTED, TIMED_OUT);
            case APPROVED, EDITED, REJECTED, TIMED_OUT -> EnumSet.noneOf(ReviewStatus.class);
        };
    }

    public boolean canMoveTo(ReviewStatus target) {
        return next().contains(target);
    }

    public boolean isFinal() {
        return next().isEmpty();
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ReviewStatus fromWireName(String value) {
        for (ReviewStatus s : values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("status must be one of open, approved, edited, rejected, timed_out; was '" + value + "'");
    }
}
