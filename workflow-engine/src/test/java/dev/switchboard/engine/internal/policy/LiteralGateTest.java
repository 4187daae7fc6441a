package dev.switchboard.engine.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class LiteralGateTest {

    @Test
    void derivesLiteralsFromLeadingAlternations() {
        assertThat(LiteralGate.of("\\b(?:ignore|disregard\\w*|set aside)\\b.{0,5}x")).containsExactly("ignore", "disregard", "set aside");
        assertThat(LiteralGate.of("\\bdo anything now\\b|\\b(?:you are|act as) dan\\b")).containsExactly("do anything now", "you are", "act as");
        assertThat(LiteralGate.of("\\b(?:a|bc)x")).as("a one-letter literal gates nothing").isNull();
        assertThat(LiteralGate.of("\\b(?:new )?rules")).as("optional group").isNull();
        assertThat(LiteralGate.of("(?i)ignore")).isNull();
        assertThat(LiteralGate.of("\\bpre-?prompt")).containsExactly("pre");
    }

    /** The gate is only an optimisation: on every labelled text, no rule that matches is gated off. */
    @Test
    void neverHidesAMatchOnTheLabelledTexts() {
        List<String> texts = new ArrayList<>();
        for (String f : List.of("injection.jsonl", "injection-fresh.jsonl", "injection-fresh2.jsonl", "injection-fresh3.jsonl",
                "blocklist.jsonl", "pii-email.jsonl", "pii-phone.jsonl")) {
            for (JsonNode line : LabelledSet.read(f)) {
                texts.add(line.get("text").asString());
            }
        }
        int gated = 0;
        for (String t : texts) {
            for (InjectionVariants.Variant v : InjectionVariants.of(t)) {
                for (InjectionRules.Rule r : InjectionRules.RULES) {
                    if (r.original() != v.original()) {
                        continue;
                    }
                    Matcher m = r.pattern().matcher(v.text());
                    if (m.find()) {
                        assertThat(r.mayMatch(v.text())).as("%s on %s", r.name(), v.text()).isTrue();
                    } else if (!r.mayMatch(v.text())) {
                        gated++;
                    }
                }
            }
        }
        assertThat(gated).as("the gate skips most rules on most texts").isGreaterThan(texts.size() * 10);
    }
}
