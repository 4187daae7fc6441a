package dev.switchboard.engine.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engine.policy.PolicyOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Precision and recall of {@code policy.blocklist} (per text and term) with the terms of
 * {@code blocklist-config.json} on {@code blocklist.jsonl} (made by {@code make_blocklist_set.py}):
 * case, diacritics, look-alike and invisible-character variants, and Scunthorpe-style negatives.
 */
class BlocklistQualityTest {

    @Test
    void catchesTermsInAnyCaseOrAccentButNotInsideLongerWords() {
        JsonNode config = LabelledSet.read("blocklist-config.json").getFirst();
        List<String> terms = new ArrayList<>();
        config.get("terms").forEach(t -> terms.add(t.asString()));
        BlocklistKind.BlocklistDetector detector = PolicyTestSupport.blocklist(terms, true);
        LabelledSet.Score all = new LabelledSet.Score();
        List<String> misses = new ArrayList<>();
        for (JsonNode line : LabelledSet.read("blocklist.jsonl")) {
            String text = line.get("text").asString();
            Set<String> expected = new HashSet<>();
            line.get("expected").forEach(e -> expected.add(e.asString()));
            Set<String> found = new HashSet<>();
            detector.find(text).forEach(f -> found.add((String) f.detail().get("term")));
            for (String e : expected) {
                if (found.contains(e)) {
                    all.tp++;
                } else {
                    all.fn++;
                    misses.add("FN " + e + " in: " + text);
                }
            }
            for (String f : found) {
                if (!expected.contains(f)) {
                    all.fp++;
                    misses.add("FP " + f + " in: " + text);
                }
            }
        }
        System.out.println("policy.blocklist: " + all);
        misses.forEach(m -> System.out.println("  " + m.replace("\n", "\\n")));
        assertThat(all.recall()).as("recall").isGreaterThanOrEqualTo(0.95);
        assertThat(all.precision()).as("precision").isGreaterThanOrEqualTo(0.90);
    }
}
