package dev.switchboard.app.testing;

/**
 * A text that stops a regular expression gone exponential: every character the matcher reads
 * counts against a budget proportional to the text's length, and running out throws
 * {@link Exhausted}. Java's regex engine backtracks without limit otherwise, and assertion
 * patterns and model outputs both come from users. Not thread-safe (one per match).
 */
final class BudgetedText implements CharSequence {

    /** Character reads allowed per character of text (and at least {@link #MIN_BUDGET} in all). */
    static final long READS_PER_CHAR = 500;
    static final long MIN_BUDGET = 1_000_000;

    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super("regular expression step budget exhausted", null, false, false);
        }
    }

    private final String text;
    private final long[] budget;

    BudgetedText(String text) {
        this(text, new long[] {Math.max(MIN_BUDGET, READS_PER_CHAR * text.length())});
    }

    private BudgetedText(String text, long[] budget) {
        this.text = text;
        this.budget = budget;
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (--budget[0] < 0) {
            throw new Exhausted();
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BudgetedText(text.substring(start, end), budget);
    }

    @Override
    public String toString() {
        return text;
    }
}
