package dev.switchboard.gptj.internal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkStatsTest {

    @Test
    void fastestStepIsTheShortestGapOnceEverySequenceDecodes() {
        // sequence B gets its first token at 100: gaps before that (A's 10 -> 40) do not count
        long[] a = {10, 40, 100, 130, 150};
        long[] b = {100, 125, 155, 200};
        assertThat(Benchmark.fastestStep(List.of(a, b))).isEqualTo(20); // A: 130 -> 150
    }

    @Test
    void fastestStepIsZeroWithoutASecondToken() {
        assertThat(Benchmark.fastestStep(List.of(new long[] {5}))).isZero();
    }

    @Test
    void steadyRateCountsTokensAfterTheLastFirstToken() {
        long[] a = {0, 1_000_000_000L, 2_000_000_000L};
        assertThat(Benchmark.steadyRate(List.of(a))).isEqualTo(1.0);
    }
}
