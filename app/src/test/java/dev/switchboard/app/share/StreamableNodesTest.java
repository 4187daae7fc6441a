package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engine.GraphDefinition;
import org.junit.jupiter.api.Test;

class StreamableNodesTest {

    @Test
    void aiTextAnOutputShowsDirectlyStreams() {
        GraphDefinition graph = GraphDefinition.fromJson("""
                {"nodes": [{"id": "in", "type": "input"}, {"id": "ai", "type": "ai"}, {"id": "pos", "type": "condition"},
                           {"id": "yes", "type": "output", "config": {"values": {"a": "Answer: {{ ai.text }}", "m": "x"}}}],
                 "edges": [{"from": "in", "to": "ai"}, {"from": "ai", "to": "pos"}, {"from": "pos", "to": "yes", "when": "true"}]}""");

        assertThat(StreamableNodes.of(graph)).containsExactly("ai");
    }

    @Test
    void aiTextAPolicyOrReviewStillChecksDoesNotStream() {
        GraphDefinition policed = GraphDefinition.fromJson("""
                {"nodes": [{"id": "in", "type": "input"}, {"id": "ai", "type": "ai"}, {"id": "pii", "type": "policy.pii"},
                           {"id": "out", "type": "output", "config": {"values": {"a": "{{ai.text}}"}}}],
                 "edges": [{"from": "in", "to": "ai"}, {"from": "ai", "to": "pii"}, {"from": "pii", "to": "out"}]}""");
        GraphDefinition reviewed = GraphDefinition.fromJson("""
                {"nodes": [{"id": "in", "type": "input"}, {"id": "ai", "type": "ai"}, {"id": "r", "type": "review"},
                           {"id": "out", "type": "output", "config": {"values": {"a": "{{{ai.text}}}"}}}],
                 "edges": [{"from": "in", "to": "ai"}, {"from": "ai", "to": "r"}, {"from": "r", "to": "out"}]}""");

        assertThat(StreamableNodes.of(policed)).isEmpty();
        assertThat(StreamableNodes.of(reviewed)).isEmpty();
    }

    @Test
    void aiTextThatOnlyFeedsLaterStepsDoesNotStream() {
        GraphDefinition graph = GraphDefinition.fromJson("""
                {"nodes": [{"id": "in", "type": "input"}, {"id": "draft", "type": "ai"}, {"id": "final", "type": "ai"},
                           {"id": "out", "type": "output", "config": {"values": {"a": "{{final.text}}", "b": "{{in.text}}"}}}],
                 "edges": [{"from": "in", "to": "draft"}, {"from": "draft", "to": "final"}, {"from": "final", "to": "out"}]}""");

        assertThat(StreamableNodes.of(graph)).containsExactly("final");
    }
}
