package dev.switchboard.gptj.internal.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RopeTableTest {
    private static float cos(float[] t, int rotary, int pos, int i) {
        return t[(pos * rotary / 2 + i) * 2];
    }

    private static float sin(float[] t, int rotary, int pos, int i) {
        return t[(pos * rotary / 2 + i) * 2 + 1];
    }

    @Test
    void positionZeroIsTheIdentityRotation() {
        float[] t = RopeTable.build(4, 64);
        for (int i = 0; i < 32; i++) {
            assertThat(cos(t, 64, 0, i)).isEqualTo(1f);
            assertThat(sin(t, 64, 0, i)).isEqualTo(0f);
        }
    }

    /** Values of HF's create_sinusoidal_positions(2048, 64), computed in float32 with numpy. */
    @Test
    void matchesHfFloat32Table() {
        float[] t = RopeTable.build(2048, 64);
        assertThat(cos(t, 64, 1, 0)).isCloseTo(0.5403022766113281f, within(1e-7f));
        assertThat(sin(t, 64, 1, 0)).isCloseTo(0.8414710164070129f, within(1e-7f));
        assertThat(cos(t, 64, 5, 3)).isCloseTo(-0.5121501088142395f, within(1e-6f));
        assertThat(sin(t, 64, 5, 3)).isCloseTo(0.8588959574699402f, within(1e-6f));
        assertThat(cos(t, 64, 1000, 10)).isCloseTo(0.9509385824203491f, within(1e-4f));
        assertThat(sin(t, 64, 1000, 10)).isCloseTo(-0.3093797564506531f, within(1e-4f));
        assertThat(cos(t, 64, 1999, 1)).isCloseTo(-0.8781781196594238f, within(2e-4f));
        assertThat(sin(t, 64, 2047, 31)).isCloseTo(0.2695944309234619f, within(1e-4f));
    }

    @Test
    void zeroRotaryDimsGivesAnEmptyTable() {
        assertThat(RopeTable.build(16, 0)).isEmpty();
    }
}
