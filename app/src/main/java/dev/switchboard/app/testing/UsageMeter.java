package dev.switchboard.app.testing;

import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.app.testing.TestViews.TestUsage;
import java.math.BigDecimal;

/**
 * Adds up what a test run spent: its app runs, and its judge verdicts separately. A cost stays
 * null while nothing with a known price was spent. Thread-safe (cases finish concurrently).
 */
final class UsageMeter {

    private int inputTokens;
    private int outputTokens;
    private BigDecimal cost;
    private int judgeInputTokens;
    private int judgeOutputTokens;
    private BigDecimal judgeCost;

    synchronized void addRun(UsageView usage) {
        if (usage == null) {
            return;
        }
        inputTokens += usage.inputTokens();
        outputTokens += usage.outputTokens();
        cost = plus(cost, usage.cost());
    }

    synchronized void addJudge(TestJudge.Verdict verdict) {
        judgeInputTokens += verdict.inputTokens();
        judgeOutputTokens += verdict.outputTokens();
        judgeCost = plus(judgeCost, verdict.cost());
    }

    synchronized TestUsage total() {
        return new TestUsage(inputTokens, outputTokens, inputTokens + outputTokens, cost, judgeInputTokens,
                judgeOutputTokens, judgeCost);
    }

    private static BigDecimal plus(BigDecimal a, BigDecimal b) {
        if (b == null) {
            return a;
        }
        return a == null ? b : a.add(b);
    }
}
