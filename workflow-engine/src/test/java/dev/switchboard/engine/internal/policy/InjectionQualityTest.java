package dev.switchboard.engine.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Precision and recall of {@code policy.injection} at its default threshold (0.5) on
 * {@code src/test/resources/policy/injection.jsonl} (made by {@code make_injection_set.py}):
 * attacks in plain and obfuscated forms, and benign texts that share their vocabulary; and on three
 * "fresh" sets ({@code make_fresh_sets.py}) written after the rules, to see how far they carry to
 * phrasings they were not built on. First-look figures, before each fresh set was used to improve
 * the rules: fresh P=0.909 R=0.667, fresh2 P=0.846 R=0.367, fresh3 P=0.950 R=0.475 — heuristics
 * catch the known shapes of attack well and novel paraphrases poorly; pair this policy with
 * {@code policy.judge} where that matters.
 */
class InjectionQualityTest {

    @Test
    void detectsInjectionsWithHighRecallAndFewFalseAlarms() {
        InjectionDetector detector = new InjectionDetector(0.5);
        LabelledSet.Score all = new LabelledSet.Score();
        LabelledSet.Score holdout = new LabelledSet.Score();
        LabelledSet.Score fresh = new LabelledSet.Score();
        LabelledSet.Score fresh2 = new LabelledSet.Score();
        LabelledSet.Score fresh3 = new LabelledSet.Score();
        List<String> misses = new ArrayList<>();
        List<JsonNode> lines = new ArrayList<>(LabelledSet.read("injection.jsonl"));
        lines.addAll(LabelledSet.read("injection-fresh.jsonl"));
        lines.addAll(LabelledSet.read("injection-fresh2.jsonl"));
        lines.addAll(LabelledSet.read("injection-fresh3.jsonl"));
        for (JsonNode line : lines) {
            String text = line.get("text").asString();
            boolean attack = line.get("label").asBoolean();
            Detection d = detector.score(text);
            String split = line.path("split").asString();
            for (LabelledSet.Score s : split.equals("holdout") ? List.of(all, holdout) : split.equals("fresh") ? List.of(all, fresh)
                    : split.equals("fresh2") ? List.of(all, fresh2) : split.equals("fresh3") ? List.of(all, fresh3) : List.of(all)) {
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
        System.out.println("policy.injection (threshold 0.5): all " + all + " | holdout " + holdout + " | fresh " + fresh + " | fresh2 " + fresh2 + " | fresh3 " + fresh3);
        misses.forEach(m -> System.out.println("  " + m.replace("\n", "\\n")));
        // the main set is what the rules were built on; the fresh sets were written later and each was
        // scored once before being used for tuning (see the class comment for the first-look figures)
        LabelledSet.Score main = new LabelledSet.Score();
        main.tp = all.tp - fresh.tp - fresh2.tp - fresh3.tp;
        main.fp = all.fp - fresh.fp - fresh2.fp - fresh3.fp;
        main.fn = all.fn - fresh.fn - fresh2.fn - fresh3.fn;
        LabelledSet.Score unseen = new LabelledSet.Score();
        for (LabelledSet.Score s : List.of(fresh, fresh2, fresh3)) {
            unseen.tp += s.tp;
            unseen.fp += s.fp;
            unseen.fn += s.fn;
        }
        System.out.println("  main set " + main + " | fresh sets together " + unseen);
        assertThat(main.recall()).as("recall on the main set").isGreaterThanOrEqualTo(0.95);
        assertThat(main.precision()).as("precision on the main set").isGreaterThanOrEqualTo(0.90);
        assertThat(unseen.precision()).as("precision on the fresh sets").isGreaterThanOrEqualTo(0.90);
        assertThat(unseen.recall()).as("recall on the fresh sets (regression floor)").isGreaterThanOrEqualTo(0.75);
    }
}
