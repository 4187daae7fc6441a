package dev.switchboard.app.share;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engine.GraphDefinition;
import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class GraphSvgTest {

    private static final GraphDefinition SENTIMENT = GraphDefinition.fromJson("""
            {"nodes": [
              {"id": "in", "type": "input", "config": {"fields": [{"name": "text"}]}},
              {"id": "ask", "type": "transform", "config": {"template": "Text: {{in.text}}"}},
              {"id": "ai", "type": "ai", "config": {"model": "openai/gpt-4o-mini", "prompt": "{{ask.text}}"}},
              {"id": "pos", "type": "condition", "config": {"expression": "ai.text.contains('positive')"}},
              {"id": "yes", "type": "output", "config": {"values": {"answer": "{{ai.text}}"}}},
              {"id": "no", "type": "output", "config": {"values": {"answer": "{{ai.text}}"}}}],
             "edges": [{"from": "in", "to": "ask"}, {"from": "ask", "to": "ai"}, {"from": "ai", "to": "pos"},
                       {"from": "pos", "to": "yes", "when": "true"}, {"from": "pos", "to": "no", "when": "false"}]}""");

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    @Test
    void layersFollowTheLongestPathAndBranchesShareALayer() {
        GraphLayout layout = GraphLayout.of(SENTIMENT);

        assertThat(layout.layers()).containsExactly(List.of("in"), List.of("ask"), List.of("ai"), List.of("pos"),
                List.of("yes", "no"));
    }

    @Test
    void aNodeSitsAfterItsDeepestPredecessorAndBarycentresUntangleCrossings() {
        GraphDefinition graph = GraphDefinition.fromJson("""
                {"nodes": [{"id": "a", "type": "input"}, {"id": "b", "type": "transform"}, {"id": "c", "type": "transform"},
                           {"id": "x", "type": "output"}, {"id": "y", "type": "output"}, {"id": "skip", "type": "output"}],
                 "edges": [{"from": "a", "to": "b"}, {"from": "a", "to": "c"}, {"from": "c", "to": "x"},
                           {"from": "b", "to": "y"}, {"from": "a", "to": "skip"}, {"from": "b", "to": "skip"}]}""");

        GraphLayout layout = GraphLayout.of(graph);

        assertThat(layout.layers().get(0)).containsExactly("a");
        assertThat(layout.layers().get(2)).containsExactlyInAnyOrder("x", "y", "skip");
        int b = layout.layers().get(1).indexOf("b");
        int c = layout.layers().get(1).indexOf("c");
        int x = layout.layers().get(2).indexOf("x");
        int y = layout.layers().get(2).indexOf("y");
        assertThat(Integer.compare(b, c)).as("b→y and c→x do not cross").isEqualTo(Integer.compare(y, x));
    }

    @Test
    void cyclesAndDanglingEdgesDoNotBreakTheDrawing() throws Exception {
        GraphDefinition broken = GraphDefinition.fromJson("""
                {"nodes": [{"id": "a", "type": "input"}, {"id": "b", "type": "x"}, {"id": "c", "type": "y"}],
                 "edges": [{"from": "a", "to": "b"}, {"from": "b", "to": "c"}, {"from": "c", "to": "b"},
                           {"from": "a", "to": "ghost"}, {"from": "a", "to": "a"}]}""");

        String svg = GraphSvg.render(broken, new GraphSvg.Options("broken", true));

        assertThat(parse(svg).getElementsByTagName("rect").getLength()).isGreaterThanOrEqualTo(3);
        assertThat(GraphLayout.of(broken).layers().stream().flatMap(List::stream)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void theSvgIsWellFormedWithAColouredBoxPerNodeAndLabelledEdges() throws Exception {
        String svg = GraphSvg.render(SENTIMENT, new GraphSvg.Options("Graph of Sentiment", true));

        Document doc = parse(svg);
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("svg");
        assertThat(root.getAttribute("role")).isEqualTo("img");
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("Graph of Sentiment");
        NodeList paths = doc.getElementsByTagName("path");
        assertThat(paths.getLength()).isEqualTo(1 + 5); // the arrowhead + one per edge
        assertThat(svg).contains(">true</text>").contains(">false</text>");
        assertThat(svg).contains("fill=\"#f5f3ff\"").contains("stroke=\"#7c3aed\"") // ai
                .contains("stroke=\"#2563eb\"") // input
                .contains("stroke=\"#d97706\"") // condition
                .contains("stroke=\"#16a34a\""); // output
        assertThat(svg).contains("openai/gpt-4o-mini").doesNotContain("<style").doesNotContain("<script");
        assertThat(doc.getElementsByTagName("desc").item(0).getTextContent())
                .startsWith("6 steps: in [input] → ask [transform]; ").contains("pos [condition] → yes [output] (when true)");
    }

    @Test
    void theSharePagesPictureLeavesOutConfig() {
        String svg = GraphSvg.render(SENTIMENT, new GraphSvg.Options("How it works", false));

        assertThat(svg).doesNotContain("gpt-4o-mini").doesNotContain("contains(").doesNotContain("Text:")
                .contains(">ai</text>").contains(">condition</text>");
    }

    @Test
    void everyTextIsEscapedAndForbiddenCharactersDropped() throws Exception {
        GraphDefinition evil = GraphDefinition.fromJson("""
                {"nodes": [{"id": "in", "type": "input"},
                           {"id": "t", "type": "transform", "config": {"template": "</text><script>alert(1)</script>\\u0001&"}},
                           {"id": "o", "type": "output"}],
                 "edges": [{"from": "in", "to": "t", "when": "<b>\\"x\\"</b>"}, {"from": "t", "to": "o"}]}""");

        String svg = GraphSvg.render(evil, new GraphSvg.Options("<title>&", true));

        parse(svg); // well-formed: nothing broke out of its element
        assertThat(svg).doesNotContain("<script").doesNotContain("<b>").doesNotContain("\u0001")
                .contains("&lt;/text&gt;&lt;script&gt;").contains("&lt;title&gt;&amp;");
    }

    @Test
    void anEmptyGraphSaysSo() throws Exception {
        String svg = GraphSvg.render(new GraphDefinition(List.of(), List.of()), new GraphSvg.Options("empty", false));

        assertThat(parse(svg).getDocumentElement().getTextContent()).contains("This graph has no nodes");
    }
}
