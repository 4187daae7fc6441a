package dev.switchboard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GraphJsonTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static String resource(String name) {
        try (InputStream in = GraphJsonTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void architectureExampleRoundTripsUnchanged() {
        String json = resource("/graphs/sentiment.json");
        GraphDefinition graph = GraphDefinition.fromJson(json);

        assertThat(graph.nodes()).extracting(NodeDefinition::id).containsExactly("in", "ask", "ai", "pos", "yes", "no");
        assertThat(graph.nodes().get(2).config().get("maxTokens").asInt()).isEqualTo(64);
        assertThat(graph.edges()).contains(new EdgeDefinition("pos", "yes", "true"), EdgeDefinition.of("in", "ask"));

        JsonNode original = JSON.readTree(json);
        JsonNode written = JSON.readTree(graph.toJson());
        assertThat(written).isEqualTo(original);
    }

    @Test
    void missingListsAndConfigBecomeEmptyAndUnknownFieldsAreIgnored() {
        GraphDefinition graph = GraphDefinition.fromJson("""
                {"nodes": [{"id": "a", "type": "input", "position": {"x": 1}}], "layout": "dagre"}""");
        assertThat(graph.edges()).isEmpty();
        assertThat(graph.nodes().getFirst().config().isEmpty()).isTrue();
    }

    @Test
    void deserialisesThroughAnyJacksonMapper() {
        GraphDefinition graph = JSON.readValue(resource("/graphs/sentiment.json"), GraphDefinition.class);
        assertThat(JSON.readValue(JSON.writeValueAsString(graph), GraphDefinition.class)).isEqualTo(graph);
    }
}
