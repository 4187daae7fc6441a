package dev.switchboard.engine.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JudgeVerdictTest {

    @Test
    void readsVerdictReasonAndScore() {
        JudgeVerdict v = JudgeVerdict.parse("  {\"verdict\": \"fail\", \"reason\": \"rude\", \"score\": 0.9}\n");
        assertThat(v.pass()).isFalse();
        assertThat(v.reason()).isEqualTo("rude");
        assertThat(v.score()).isEqualTo(0.9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "pass", "Verdict: pass", "{\"verdict\": \"pass\"} trailing words", "{\"verdict\": \"pass\"}{\"verdict\": \"fail\"}",
            "{\"verdict\": \"maybe\"}", "{\"reason\": \"no verdict\"}", "{\"verdict\": true}", "[{\"verdict\": \"pass\"}]",
            "{\"verdict\": \"pass\", \"score\": 3}", "{\"verdict\": \"pass\", \"reason\": 5}", "```\n{\"verdict\": \"pass\"}\n``` and more"})
    void rejectsAnythingButOneVerdictObject(String answer) {
        assertThatThrownBy(() -> JudgeVerdict.parse(answer)).isInstanceOf(IllegalArgumentException.class);
    }
}
