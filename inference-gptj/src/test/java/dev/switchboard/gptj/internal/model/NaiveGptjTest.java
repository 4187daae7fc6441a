package dev.switchboard.gptj.internal.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gptj.Fixtures;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The plain reference itself agrees with HF, so agreeing with it means agreeing with HF. */
class NaiveGptjTest {

    @Test
    void matchesHfOnTheTinyFixture() {
        JsonNode ref = Fixtures.json(Fixtures.tiny().resolve("reference.json"));
        for (JsonNode c : ref.get("cases")) {
            int[] ids = Fixtures.ints(c.get("input_ids"));
            if (ids.length > 20) {
                continue; // the plain reference is quadratic and slow; short cases suffice
            }
            double[][] l = NaiveGptj.logits(Fixtures.tiny(), ids);
            float[] expected = Fixtures.floats(c.get("last_logits"));
            for (int i = 0; i < expected.length; i++) {
                assertThat(Math.abs(l[ids.length - 1][i] - expected[i])).isLessThan(1e-4);
            }
        }
    }

    @Test
    void exactGeluUsesAnAccurateErf() {
        for (double x = -4; x <= 4; x += 0.01) {
            assertThat(dev.switchboard.gptj.internal.kernel.ActivationsAccess.erf(x)).isCloseTo(NaiveGptj.erfSeries(x),
                    org.assertj.core.data.Offset.offset(2e-7));
        }
    }
}
