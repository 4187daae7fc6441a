package dev.switchboard.app.security;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.edge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The engine caps, configured through {@code switchboard.engine.limits.*} and small here: a graph
 * over one is refused with 422 problem+json naming it (and no row is written); a template or
 * expression that would cost too much at run time fails its node with a clear error instead of
 * using up memory or CPU.
 */
class LimitsIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void smallLimits(DynamicPropertyRegistry registry) {
        registry.add("switchboard.engine.limits.max-nodes", () -> "20");
        registry.add("switchboard.engine.limits.max-edges", () -> "30");
        registry.add("switchboard.engine.limits.max-depth", () -> "6");
        registry.add("switchboard.engine.limits.max-template-length", () -> "500");
        registry.add("switchboard.engine.limits.max-rendered-length", () -> "10000");
        registry.add("switchboard.engine.limits.max-expression-length", () -> "200");
        registry.add("switchboard.engine.limits.max-expression-iterations", () -> "1000");
    }

    private static Map<String, Object> node(String id, String type, Map<String, Object> config) {
        return Map.of("id", id, "type", type, "config", config);
    }

    private static Map<String, Object> input(int maxLength) {
        return node("in", "input", Map.of("fields", List.of(Map.of("name", "text", "type", "text", "maxLength", maxLength))));
    }

    /** input → {@code middle} transforms in a row → output. */
    private static Map<String, Object> chain(int middle) {
        List<Object> nodes = new ArrayList<>(List.of(input(100)));
        List<Object> edges = new ArrayList<>();
        String previous = "in";
        for (int i = 0; i < middle; i++) {
            nodes.add(node("t" + i, "transform", Map.of("template", "{{in.text}}")));
            edges.add(edge(previous, "t" + i));
            previous = "t" + i;
        }
        nodes.add(node("out", "output", Map.of("values", Map.of("a", "{{in.text}}"))));
        edges.add(edge(previous, "out"));
        return Map.of("nodes", nodes, "edges", edges);
    }

    private static Map<String, Object> withNode(Map<String, Object> middleNode, String output) {
        return Map.of("nodes", List.of(input(5000), middleNode,
                        node("out", "output", Map.of("values", Map.of("a", output)))),
                "edges", List.of(edge("in", (String) middleNode.get("id")), edge((String) middleNode.get("id"), "out")));
    }

    /** input → condition → output "yes" (when true) / output "no" (when false), each answering {a: result}. */
    private static Map<String, Object> condition(String expression) {
        return Map.of("nodes", List.of(input(5000), node("c", "condition", Map.of("expression", expression)),
                        node("yes", "output", Map.of("values", Map.of("a", "{{c.result}}"))),
                        node("no", "output", Map.of("values", Map.of("a", "{{c.result}}")))),
                "edges", List.of(edge("in", "c"), Map.of("from", "c", "to", "yes", "when", "true"),
                        Map.of("from", "c", "to", "no", "when", "false")));
    }

    private String create(String name, Map<String, Object> graph) {
        Response r = api.post("/api/v1/apps", app(name, graph));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private long apps() {
        return jdbc.queryForObject("SELECT count(*) FROM apps", Long.class);
    }

    private void assertRefused(Map<String, Object> graph, String expectedMessage) {
        long before = apps();
        Response r = api.post("/api/v1/apps", app("limits-" + UUID.randomUUID(), graph));
        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.body()).contains("too_large").contains(expectedMessage);
        assertThat(apps()).isEqualTo(before);
    }

    @Test
    void graphsOverTheNodeEdgeOrDepthLimitAreRefused() {
        assertRefused(chain(19), "The graph has 21 nodes; the limit is 20.");
        assertRefused(chain(5), "The longest path of the graph has 7 nodes (ending at 'out'); the limit is 6.");
        // 16 nodes, 31 edges: every transform fans in from the input and out to the output, and one more
        List<Object> nodes = new ArrayList<>(List.of(input(10), node("out", "output", Map.of("values", Map.of("a", "x")))));
        List<Object> edges = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            nodes.add(node("w" + i, "transform", Map.of("template", "x")));
            edges.add(edge("in", "w" + i));
            edges.add(edge("w" + i, "out"));
        }
        edges.add(edge("w0", "w1"));
        edges.add(edge("w1", "w2"));
        edges.add(edge("w2", "w3"));
        assertRefused(Map.of("nodes", nodes, "edges", edges), "The graph has 31 edges; the limit is 30.");

        Response fits = api.post("/api/v1/apps", app("limits-fit", chain(4)));
        assertThat(fits.status()).as(fits.body()).isEqualTo(201);
    }

    @Test
    void anUpdateOverALimitLeavesTheDraftAsItWas() {
        JsonNode created = api.post("/api/v1/apps", app("limits-update", chain(2))).json();
        String id = created.get("id").asString();
        Response refused = api.put("/api/v1/apps/" + id, Map.of("graph", chain(30)));
        assertThat(refused.status()).isEqualTo(422);
        JsonNode after = api.get("/api/v1/apps/" + id).json();
        assertThat(after.get("graph")).isEqualTo(created.get("graph"));
    }

    @Test
    void oversizedTemplatesAndExpressionsAreRefusedWhenSaved() {
        assertRefused(withNode(node("t", "transform", Map.of("template", "x".repeat(501))), "{{t.text}}"),
                "limit");
        assertRefused(condition("nodes['in'].text == '" + "y".repeat(200) + "'"), "the limit is 200");
    }

    @Test
    void aTemplateRenderingPastTheOutputCapFailsItsNodeClearly() {
        // 5,000 characters in, 40 references: 200,000 characters out against a cap of 10,000
        String template = "{{in.text}}".repeat(40);
        String id = create("limits-render", withNode(node("t", "transform", Map.of("template", template)), "{{t.text}}"));

        Response run = api.post("/api/v1/apps/" + id + "/runs", Map.of("inputs", Map.of("text", "z".repeat(5000))));

        JsonNode body = run.json();
        assertThat(body.get("status").asString()).as(run.body()).isEqualTo("failed");
        assertThat(body.get("error").get("nodeId").asString()).isEqualTo("t");
        assertThat(body.get("error").toString()).contains("longer than the limit of 10000 characters");
        assertThat(run.body().length()).isLessThan(60_000); // the oversized text went nowhere
    }

    @Test
    void anExpensiveExpressionFailsItsNodeAndABacktrackingRegexCannotHang() {
        // 60 × 60 comprehension iterations against a budget of 1,000
        String nested = "nodes['in'].text.split('').all(a, nodes['in'].text.split('').all(b, a + b != ''))";
        String id = create("limits-cel", condition(nested));
        JsonNode run = api.post("/api/v1/apps/" + id + "/runs", Map.of("inputs", Map.of("text", "q".repeat(60)))).json();
        assertThat(run.get("status").asString()).as(run.toString()).isEqualTo("failed");
        assertThat(run.get("error").toString()).as(run.toString()).contains("\"nodeId\":\"c\"");

        // CEL's matches() is RE2 (linear time): the classic catastrophic pattern answers at once
        String redos = create("limits-regex", condition("nodes['in'].text.matches('^(a+)+$')"));
        long t0 = System.nanoTime();
        JsonNode matched = api.post("/api/v1/apps/" + redos + "/runs",
                Map.of("inputs", Map.of("text", "a".repeat(4000) + "!"))).json();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(matched.get("status").asString()).as(matched.toString()).isEqualTo("succeeded");
        assertThat(matched.get("outputs").get("a").asString()).isEqualTo("false");
        assertThat(took).isLessThan(Duration.ofSeconds(10)); // a backtracking engine would take longer than the universe
    }

    @Test
    void deeplyNestedJsonIsA400NotACrash() {
        long before = apps();
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Response r = api.post("/api/v1/apps", "{\"name\": \"deep\", \"graph\": {\"nodes\": " + deep + "}}");
        assertThat(r.status()).as(r.body()).isBetween(400, 422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        String config = "{\"x\": ".repeat(2000) + "{}" + "}".repeat(2000);
        Response deepConfig = api.post("/api/v1/apps", "{\"name\": \"deep-config\", \"graph\": {\"nodes\": ["
                + "{\"id\": \"in\", \"type\": \"input\", \"config\": {}}, {\"id\": \"t\", \"type\": \"transform\", "
                + "\"config\": " + config + "}], \"edges\": []}}");
        assertThat(deepConfig.status()).as(deepConfig.body()).isBetween(400, 422);
        assertThat(apps()).isEqualTo(before);
    }
}
