package dev.switchboard.app.review;

import static dev.switchboard.app.support.TestGraphs.edge;
import static dev.switchboard.app.support.TestGraphs.input;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Graphs with human review for the review integration tests. */
final class ReviewGraphs {
    private ReviewGraphs() {
    }

    /** input → review ("Draft: {{in.text}}", extra config) → output {answer: {{rev.text}}, decision: {{rev.decision}}}. */
    static Map<String, Object> reviewed(Map<String, Object> extraConfig) {
        Map<String, Object> config = new LinkedHashMap<>(Map.of("text", "Draft: {{in.text}}", "timeout", "2h",
                "instructions", "Check the tone."));
        config.putAll(extraConfig);
        return Map.of(
                "nodes", List.of(
                        input(),
                        Map.of("id", "rev", "type", "review", "config", config),
                        Map.of("id", "out", "type", "output", "config", Map.of("values",
                                Map.of("answer", "{{rev.text}}", "decision", "{{rev.decision}}")))),
                "edges", List.of(edge("in", "rev"), edge("rev", "out")));
    }

    /** input → policy.pii (action review) → output {answer: {{pii.text}}}. */
    static Map<String, Object> piiReviewed() {
        return Map.of(
                "nodes", List.of(
                        input(),
                        Map.of("id", "pii", "type", "policy.pii", "config", Map.of("text", "{{in.text}}", "action", "review")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("answer", "{{pii.text}}")))),
                "edges", List.of(edge("in", "pii"), edge("pii", "out")));
    }

    static Map<String, Object> app(String name, Map<String, Object> graph) {
        return Map.of("name", name, "graph", graph);
    }
}
