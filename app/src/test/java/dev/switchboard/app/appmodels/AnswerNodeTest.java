package dev.switchboard.app.appmodels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engine.CompiledGraph;
import dev.switchboard.engine.GraphDefinition;
import dev.switchboard.engine.WorkflowEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class AnswerNodeTest {

    private static final WorkflowEngine ENGINE = WorkflowEngine.builder().build();

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    private static CompiledGraph graph(String outputs) {
        return ENGINE.compile(GraphDefinition.fromJson("""
                {"nodes": [
                  {"id": "in", "type": "input", "config": {"fields": [{"name": "text", "type": "text"}]}},
                  {"id": "ai", "type": "ai", "config": {"model": "x/y", "prompt": "{{in.text}}"}},
                  {"id": "say", "type": "transform", "config": {"template": "[{{ai.text}}]"}},
                  %s],
                 "edges": [{"from": "in", "to": "ai"}, {"from": "ai", "to": "say"}, {"from": "say", "to": "out"}]}"""
                .formatted(outputs)));
    }

    @Test
    void theAnswerStreamsFromTheAiNodeItIsVerbatimTheTextOf() {
        CompiledGraph g = graph("{\"id\": \"out\", \"type\": \"output\", \"config\": {\"values\": "
                + "{\"answer\": \"{{ ai.text }}\", \"wrapped\": \"{{say.text}}\", \"more\": \"Answer: {{ai.text}}\"}}}");
        assertThat(AnswerNode.of(g, "answer")).isEqualTo("ai");
        assertThat(AnswerNode.of(g, "wrapped")).isNull(); // a transform's text: sent when the run ends
        assertThat(AnswerNode.of(g, "more")).isNull();
        assertThat(AnswerNode.of(g, "missing")).isNull();
        assertThat(AnswerNode.of(g, null)).isNull();
    }
}
