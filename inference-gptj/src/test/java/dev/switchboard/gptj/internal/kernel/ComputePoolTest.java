package dev.switchboard.gptj.internal.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ComputePoolTest {

    @Test
    void runsEveryItemExactlyOnceAcrossManyLoops() {
        try (ComputePool pool = new ComputePool(3)) {
            for (int loop = 0; loop < 500; loop++) {
                int n = 1 + loop % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                pool.run(n, hits::incrementAndGet);
                for (int i = 0; i < n; i++) {
                    assertThat(hits.get(i)).as("loop %d item %d", loop, i).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void rethrowsAFailureOfAnyItemAndStaysUsable() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThatThrownBy(() -> pool.run(50, i -> {
                if (i == 17) {
                    throw new IllegalStateException("item 17 failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("item 17 failed");
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.run(10, hits::incrementAndGet);
            assertThat(hits.toString()).isEqualTo("[1, 1, 1, 1, 1, 1, 1, 1, 1, 1]");
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThatThrownBy(() -> new ComputePool(0)).hasMessageContaining("threads must be ≥ 1");
    }
}
