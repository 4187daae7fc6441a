package dev.switchboard.engine.internal.policy;

/**
 * A CharSequence that stops a {@link java.util.regex.Matcher} running away: every character read
 * costs one step of a shared budget, and every 4,096 steps the deadline and the thread's interrupt
 * flag are checked. Catastrophic backtracking ({@code (a+)+$} on "aaaa…b") reads characters
 * exponentially often, so it hits the budget within milliseconds instead of running for years.
 * Not thread-safe: one instance per match.
 */
final class BudgetedCharSequence implements CharSequence {

    /** Thrown out of {@link #charAt} when the budget or the deadline is spent. */
    static final class Exhausted extends RuntimeException {
        final boolean interrupted;

        Exhausted(boolean interrupted) {
            super(interrupted ? "interrupted" : "regex step budget exhausted", null, false, false);
            this.interrupted = interrupted;
        }
    }

    private final CharSequence text;
    private final int offset;
    private final int length;
    private final long[] remaining;
    private final long deadlineNanos;

    BudgetedCharSequence(CharSequence text, long budget, long deadlineNanos) {
        this(text, 0, text.length(), new long[] {budget}, deadlineNanos);
    }

    private BudgetedCharSequence(CharSequence text, int offset, int length, long[] remaining, long deadlineNanos) {
        this.text = text;
        this.offset = offset;
        this.length = length;
        this.remaining = remaining;
        this.deadlineNanos = deadlineNanos;
    }

    @Override
    public char charAt(int index) {
        long left = --remaining[0];
        if (left < 0) {
            throw new Exhausted(false);
        }
        if ((left & 0xFFF) == 0) {
            if (Thread.currentThread().isInterrupted()) {
                throw new Exhausted(true);
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new Exhausted(false);
            }
        }
        return text.charAt(offset + index);
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BudgetedCharSequence(text, offset + start, end - start, remaining, deadlineNanos);
    }

    @Override
    public String toString() {
        return text.subSequence(offset, offset + length).toString();
    }
}
