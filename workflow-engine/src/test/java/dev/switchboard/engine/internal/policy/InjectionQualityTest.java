package dev.switchboard.engine.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Precision and recall of {@code policy.injection} at its default threshold (0.5) on
 * {@code src/test/resources/policy/injection.jsonl} (made by {@code make_injection_set.py}):
 * attacks in plain and obfuscated forms, and benign texts that share their vocabulary.
 */
class InjectionQualityTest {

    @Test
    void detectsInjectionsWithHighRecallAndFewFalseAlarms() {
        InjectionDetector detector = new InjectionDetector(0.5);
        LabelledSet.Score all = new LabelledSet.Score();
        LabelledSet.Score holdout = new LabelledSet.Score();
        List<String> misses = new ArrayList<>();
        for (JsonNode line : LabelledSet.read("injection.jsonl")) {
            String text = line.get("text").asString();
            boolean attack = line.get("label").asBoolean();
            Detection d = detector.score(text);
            for (LabelledSet.Score s : "holdout".equals(line.path("split").asString()) ? List.of(all, holdout) : List.of(all)) {
                if (attack && d.triggered()) {
                    s.tp++;
                } else if (attack) {
                    s.fn++;
                } else if (d.triggered()) {
                    s.fp++;
                }
            }
            if (attack != d.triggered()) {
                misses.add((attack ? "FN " : "FP ") + d.score() + " " + line.get("category").asString() + ": " + text
                        + (d.findings().isEmpty() ? "" : " " + d.findings().stream().map(f -> f.detail().get("rule")).toList()));
            }
        }
        System.out.println("policy.injection (threshold 0.5): all " + all + " | holdout " + holdout);
        misses.forEach(m -> System.out.println("  " + m.replace("\n", "\\n")));
        assertThat(all.recall()).as("recall").isGreaterThanOrEqualTo(0.95);
        assertThat(all.precision()).as("precision").isGreaterThanOrEqualTo(0.90);
    }
}
