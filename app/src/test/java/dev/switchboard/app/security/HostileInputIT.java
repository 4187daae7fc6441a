package dev.switchboard.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import dev.switchboard.app.support.TestGraphs;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestContextManager;
import tools.jackson.databind.JsonNode;

/**
 * Generated hostile input thrown at the real API (jqwik; the app context is the one the other
 * integration tests share): random graphs (unknown types, configs of the wrong shape, nulls,
 * unicode ids, dangling and cyclic edges, hundreds of nodes), templates (unbalanced braces,
 * sections and partials, deep references, references to unknown nodes, huge repeats) and JSON
 * or junk bodies for every writing endpoint. The API never answers 5xx, every refusal is
 * problem+json, and a refused request writes no row: apps, versions, runs, test cases and keys of
 * the workspace are counted before and after. Tries are kept modest for CI.
 */
class HostileInputIT extends IntegrationTest {

    private static final List<String> TABLES = List.of("apps", "app_versions", "runs", "app_tests", "api_keys");
    private static final Set<String> FINAL_OR_WAITING = Set.of("succeeded", "failed", "blocked", "timed_out",
            "cancelled", "rejected", "waiting_review");

    @Autowired
    JdbcTemplate jdbc;

    private Api ws;
    private String workspaceId;
    private String appId;
    private JsonNode appBefore;

    @BeforeProperty
    void connectToTheSharedApp() throws Exception {
        new TestContextManager(getClass()).prepareTestInstance(this);
        Api operator = new Api("http://127.0.0.1:" + port, ADMIN_KEY);
        Response created = operator.post("/api/v1/workspaces", Map.of("name", "hostile-" + UUID.randomUUID()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ws = operator.withKey(created.json().get("adminKey").get("secret").asString());
        workspaceId = ws.get("/api/v1/workspace").json().get("id").asString();
        appId = ws.post("/api/v1/apps", TestGraphs.app("target", TestGraphs.greeting())).json().get("id").asString();
        appBefore = ws.get("/api/v1/apps/" + appId).json();
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void hostileGraphsAreRefusedCleanlyOrRunToAFinalState(@ForAll("graphs") Object graph,
            @ForAll("jsonValues") Object inputs) {
        Map<String, Long> before = counts();
        Map<String, Object> body = new HashMap<>();
        body.put("name", "hostile");
        body.put("graph", graph);

        Response created = ws.post("/api/v1/apps", body);

        Statistics.label("create").collect(created.status());
        assertClean(created);
        if (created.status() != 201) {
            assertThat(counts()).as("no row written by " + created).isEqualTo(before);
            return;
        }
        String id = created.json().get("id").asString();
        assertThat(counts().get("apps")).isEqualTo(before.get("apps") + 1);
        Map<String, Object> runBody = new HashMap<>();
        runBody.put("inputs", inputs);
        Map<String, Long> beforeRun = counts();
        Response run = ws.post("/api/v1/apps/" + id + "/runs", runBody);
        Statistics.label("run").collect(run.status() < 300 ? run.json().get("status").asString() : run.status());
        assertClean(run);
        if (run.status() < 300) {
            assertThat(run.json().get("status").asString()).isIn(FINAL_OR_WAITING);
        } else {
            assertThat(counts()).as("no run row for " + run).isEqualTo(beforeRun);
        }
        assertClean(ws.delete("/api/v1/apps/" + id));
    }

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void hostileTemplatesNeverBreakTheApi(@ForAll("templates") String template, @ForAll("texts") String text) {
        Map<String, Long> before = counts();
        Map<String, Object> graph = Map.of(
                "nodes", List.of(Map.of("id", "in", "type", "input", "config", Map.of("fields",
                                List.of(Map.of("name", "text", "type", "text")))),
                        Map.of("id", "t", "type", "transform", "config", Map.of("template", template)),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("a", "{{t.text}}", "b", template)))),
                "edges", List.of(TestGraphs.edge("in", "t"), TestGraphs.edge("t", "out")));

        Response created = ws.post("/api/v1/apps", TestGraphs.app("template", graph));

        Statistics.label("create").collect(created.status());
        assertClean(created);
        if (created.status() != 201) {
            assertThat(created.status()).isEqualTo(422);
            assertThat(counts()).isEqualTo(before);
            return;
        }
        String id = created.json().get("id").asString();
        Response run = ws.post("/api/v1/apps/" + id + "/runs", Map.of("inputs", Map.of("text", text)));
        Statistics.label("run").collect(run.status() == 200 ? run.json().get("status").asString() : run.status());
        assertClean(run);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        assertThat(run.json().get("status").asString()).isIn("succeeded", "failed");
        Response published = ws.post("/api/v1/apps/" + id + "/publish", "");
        assertClean(published);
        assertClean(ws.get("/api/v1/apps/" + id + "/graph.svg"));
        assertClean(ws.delete("/api/v1/apps/" + id));
    }

    @Property(tries = 120, shrinking = ShrinkingMode.BOUNDED)
    void hostileBodiesAreRefusedWithProblemJsonAndWriteNothing(@ForAll("endpoints") String endpoint,
            @ForAll("bodies") String body) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1).replace("{app}", appId);
        Map<String, Long> before = counts();

        Response r = ws.send(path, b -> b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));

        Statistics.label("status").collect(r.status());
        assertClean(r);
        if (r.status() >= 400) {
            assertThat(counts()).as(endpoint + " → " + r).isEqualTo(before);
            JsonNode app = ws.get("/api/v1/apps/" + appId).json();
            assertThat(app.get("graph")).isEqualTo(appBefore.get("graph"));
            assertThat(app.get("name")).isEqualTo(appBefore.get("name"));
        } else {
            appBefore = ws.get("/api/v1/apps/" + appId).json(); // an accepted change is the new baseline
        }
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Object> graphs() {
        Arbitrary<Object> ordinary = Combinators.combine(node().list().ofMaxSize(12), edge().list().ofMaxSize(20))
                .as((nodes, edges) -> {
                    Map<String, Object> g = new HashMap<>();
                    g.put("nodes", nodes);
                    g.put("edges", edges);
                    return g;
                });
        Arbitrary<Object> huge = Arbitraries.integers().between(450, 700).map(HostileInputIT::chain);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, mutatedValidGraphs()),
                net.jqwik.api.Tuple.of(6, ordinary),
                net.jqwik.api.Tuple.of(1, huge),
                net.jqwik.api.Tuple.of(1, jsonValue(2)));
    }

    /**
     * A valid graph (input → transform → condition → two outputs) with 0 to 3 hostile changes:
     * a template or expression swapped for a generated one, a node of a random kind and config
     * added, an edge added (often closing a cycle) or removed, an id made unicode.
     */
    private Arbitrary<Object> mutatedValidGraphs() {
        Arbitrary<Mutation> mutation = Arbitraries.oneOf(
                templates().map(t -> g -> node(g, 1).put("config", new HashMap<>(Map.of("template", t)))),
                templates().map(t -> g -> node(g, 3).put("config", new HashMap<>(Map.of("values", Map.of("a", t))))),
                expressions().map(e -> g -> node(g, 2).put("config", new HashMap<>(Map.of("expression", e)))),
                node().map(n -> g -> nodes(g).add(n)),
                edge().map(e -> g -> edges(g).add(e)),
                Arbitraries.of("c", "t", "in").map(to -> g -> edges(g).add(new HashMap<>(Map.of("from", "yes", "to", to)))),
                Arbitraries.integers().between(0, 3).map(i -> g -> {
                    if (i < edges(g).size()) {
                        edges(g).remove((int) i);
                    }
                }),
                Arbitraries.of("ü", "t\u0000", "t t", "", "x".repeat(100)).map(id -> g -> node(g, 1).put("id", id)),
                jsonValues().map(v -> g -> node(g, 0).put("config", v)));
        return mutation.list().ofMaxSize(3).map(mutations -> {
            Map<String, Object> g = validGraph();
            mutations.forEach(m -> m.apply(g));
            return (Object) g;
        });
    }

    private interface Mutation {
        void apply(Map<String, Object> graph);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> nodes(Map<String, Object> g) {
        return (List<Object>) g.get("nodes");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> edges(Map<String, Object> g) {
        return (List<Object>) g.get("edges");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> node(Map<String, Object> g, int index) {
        return (Map<String, Object>) nodes(g).get(index);
    }

    private static Map<String, Object> validGraph() {
        List<Object> nodes = new ArrayList<>(List.of(
                new HashMap<>(Map.of("id", "in", "type", "input", "config", Map.of("fields",
                        List.of(Map.of("name", "text", "type", "text"))))),
                new HashMap<>(Map.of("id", "t", "type", "transform", "config", Map.of("template", "Hi {{in.text}}"))),
                new HashMap<>(Map.of("id", "c", "type", "condition", "config", Map.of("expression", "nodes['in'].text.size() > 3"))),
                new HashMap<>(Map.of("id", "yes", "type", "output", "config", Map.of("values", Map.of("a", "{{t.text}}")))),
                new HashMap<>(Map.of("id", "no", "type", "output", "config", Map.of("values", Map.of("a", "short"))))));
        List<Object> edges = new ArrayList<>(List.of(
                new HashMap<>(Map.of("from", "in", "to", "t")), new HashMap<>(Map.of("from", "t", "to", "c")),
                new HashMap<>(Map.of("from", "c", "to", "yes", "when", "true")),
                new HashMap<>(Map.of("from", "c", "to", "no", "when", "false"))));
        Map<String, Object> g = new HashMap<>();
        g.put("nodes", nodes);
        g.put("edges", edges);
        return g;
    }

    private Arbitrary<Object> node() {
        Arbitrary<Object> shaped = Combinators.combine(ids(), types(), jsonValue(2), nodeConfigs())
                .as((id, type, junk, config) -> {
                    Map<String, Object> n = new HashMap<>();
                    n.put("id", id);
                    n.put("type", type);
                    n.put("config", config != null ? config : junk);
                    return n;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, shaped), net.jqwik.api.Tuple.of(1, jsonValue(1)));
    }

    private Arbitrary<Object> edge() {
        Arbitrary<Object> shaped = Combinators.combine(ids(), ids(), Arbitraries.of("true", "false", "error", "maybe", "")
                .injectNull(0.6)).as((from, to, when) -> {
                    Map<String, Object> e = new HashMap<>();
                    e.put("from", from);
                    e.put("to", to);
                    e.put("when", when);
                    return e;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, shaped), net.jqwik.api.Tuple.of(1, jsonValue(1)));
    }

    private static Arbitrary<String> ids() {
        return Arbitraries.oneOf(Arbitraries.of("in", "out", "t", "ai", "c", "x", "trigger", "nodes"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                Arbitraries.strings().all().ofMaxLength(6)).injectNull(0.05);
    }

    private static Arbitrary<String> types() {
        return Arbitraries.of("input", "output", "transform", "condition", "ai", "policy.pii", "policy.regex",
                "policy.blocklist", "review", "sms", "nope", "", "INPUT").injectNull(0.05);
    }

    /** Configs of plausible shape with hostile values, or null (then junk is used). */
    private Arbitrary<Map<String, Object>> nodeConfigs() {
        Arbitrary<Map<String, Object>> input = Combinators.combine(Arbitraries.strings().ofMaxLength(10),
                        Arbitraries.of("text", "number", "boolean", "json", "file"), Arbitraries.integers().between(-5, 100_000))
                .as((name, type, max) -> Map.of("fields", List.of(Map.of("name", name, "type", type, "maxLength", max))));
        Arbitrary<Map<String, Object>> transform = templates().map(t -> Map.of("template", t));
        Arbitrary<Map<String, Object>> output = templates().map(t -> Map.of("values", Map.of("a", t)));
        Arbitrary<Map<String, Object>> condition = expressions().map(e -> Map.of("expression", e));
        Arbitrary<Map<String, Object>> ai = Combinators.combine(Arbitraries.of("fake/prop-model", "nope", "", "a/b/c"),
                templates(), Arbitraries.integers().between(-10, 100_000))
                .as((model, prompt, max) -> Map.of("model", model, "prompt", prompt, "maxTokens", max));
        Arbitrary<Map<String, Object>> policy = Combinators.combine(templates(), Arbitraries.of("pass", "redact", "block",
                "review", "explode"), Arbitraries.of("(a+)+$", "[", ".*", "\\", "(?<x>y)"))
                .as((text, action, pattern) -> Map.of("text", text, "action", action, "pattern", pattern));
        return Arbitraries.oneOf(input, transform, output, condition, ai, policy).injectNull(0.2);
    }

    @Provide
    Arbitrary<String> templates() {
        // mostly pieces that render (so runs happen), some that must be refused
        Arbitrary<String> renders = Arbitraries.of("{{in.text}}", "{{trigger.Body}}", "{{ in.text }}", "ü\u200b",
                "\u0000", "{{in.text}}".repeat(300), "x".repeat(3000), "plain words ", "{in.text}", "}}", "{{{in.text}}}",
                "{{in.missing}}", "<b>{{in.text}}</b>", "\\{{in.text}}");
        Arbitrary<String> refused = Arbitraries.of("{{", "{{{", "{{unknown.x}}", "{{#in}}", "{{/in}}", "{{^x}}",
                "{{>partial}}", "{{! c}}", "{{=<% %>=}}", "{{&in.text}}", "{{in.text.a.b.c.d.e.f.g.h.i.j}}",
                "{{ in . text }}", "{{".repeat(50) + "in.text" + "}}".repeat(50), "{{nodes.in.text}}", "{{in.text}",
                "{{t.text}}");
        Arbitrary<String> piece = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, renders), net.jqwik.api.Tuple.of(1, refused));
        return piece.list().ofMaxSize(8).map(list -> String.join("", list));
    }

    private static Arbitrary<String> expressions() {
        return Arbitraries.of("true", "nodes['in'].text.size() > 3", "nodes['in'].text.matches('(a+)+$')",
                "[1,2,3].all(x, [1,2,3].all(y, x + y > 0))", "1/0 == 1", "nodes['nope'].x", "in.text", "))((",
                "nodes['in'].text + nodes['in'].text == ''", "size(nodes) > 0", "", "'x'.repeat(1000000)",
                "[" + "1,".repeat(500) + "1].map(x, x * 2).size() > 0");
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("{{in.text}}", "}}{{", "a".repeat(4000) + "!", "\u0000\uFFFF", "<script>x</script>"));
    }

    @Provide
    Arbitrary<Object> jsonValues() {
        return jsonValue(3);
    }

    private static Arbitrary<Object> jsonValue(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.of(true, false).map(Object.class::cast),
                Arbitraries.integers().map(Object.class::cast),
                Arbitraries.doubles().map(Object.class::cast),
                Arbitraries.strings().all().ofMaxLength(20).map(Object.class::cast),
                Arbitraries.of("in", "{{in.text}}", "", "null").map(Object.class::cast)).injectNull(0.15);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = jsonValue(depth - 1).list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> map = Combinators.combine(Arbitraries.of("text", "fields", "name", "nodes", "edges", "config",
                        "x", "").list().ofMaxSize(4), jsonValue(depth - 1).list().ofSize(4))
                .as((keys, values) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        m.put(keys.get(i), values.get(i));
                    }
                    return (Object) m;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, list),
                net.jqwik.api.Tuple.of(2, map));
    }

    @Provide
    Arbitrary<String> endpoints() {
        return Arbitraries.of("POST /api/v1/apps", "PUT /api/v1/apps/{app}", "POST /api/v1/apps/{app}/runs",
                "POST /api/v1/apps/{app}/runs?mode=async", "POST /api/v1/apps/{app}/tests", "PUT /api/v1/apps/{app}/share",
                "PUT /api/v1/apps/{app}/twilio", "PUT /api/v1/apps/{app}/settings", "POST /api/v1/keys",
                "PUT /api/v1/budget", "PUT /api/v1/providers/fake/credentials", "POST /api/v1/experiments",
                "POST /v1/chat/completions", "POST /api/v1/apps/{app}/test-runs");
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> json = jsonValue(3).map(v -> Api.JSON.writeValueAsString(v));
        Arbitrary<String> truncated = json.filter(s -> s.length() > 2).map(s -> s.substring(0, s.length() / 2));
        Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(60),
                Arbitraries.of("", "null", "[]", "{}", "\"graph\"", "{\"graph\": null}", "{\"inputs\": [1]}",
                        "{\"name\": 1e99999}", "{\"name\": -0, \"graph\": {\"nodes\": {}}}", "\uFEFF{}",
                        "{\"a\":" .repeat(3000) + "1" + "}".repeat(3000), "{\"name\": \"\\ud800\"}"));
        Arbitrary<String> shaped = Combinators.combine(Arbitraries.of("name", "graph", "inputs", "description", "passcode",
                        "showGraph", "expiresAt", "accountSid", "authToken", "phoneNumber", "limitUsd", "period", "apiKey",
                        "role", "requireTestsToPublish", "version", "assertions", "prompt", "models", "messages", "model")
                        .list().uniqueElements().ofMinSize(1).ofMaxSize(4),
                Arbitraries.oneOf(jsonValue(2), graphs(), Arbitraries.of("run", "build", "admin", "daily", "draft",
                        "+15005550006", "fake/x", "AC" + "3".repeat(32), "2030-01-01T00:00:00Z").map(Object.class::cast))
                        .list().ofSize(4))
                .as((keys, values) -> {
                    Map<String, Object> m = new HashMap<>();
                    for (int i = 0; i < keys.size(); i++) {
                        m.put(keys.get(i), values.get(i));
                    }
                    return Api.JSON.writeValueAsString(m);
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, shaped), net.jqwik.api.Tuple.of(2, json),
                net.jqwik.api.Tuple.of(1, truncated), net.jqwik.api.Tuple.of(2, junk));
    }

    // ------------------------------------------------------------------ helpers

    private static Object chain(int length) {
        List<Object> nodes = new ArrayList<>();
        List<Object> edges = new ArrayList<>();
        nodes.add(Map.of("id", "in", "type", "input", "config", Map.of()));
        String previous = "in";
        for (int i = 0; i < length; i++) {
            nodes.add(Map.of("id", "n" + i, "type", "transform", "config", Map.of("template", "{{in.text}}")));
            edges.add(Map.of("from", previous, "to", "n" + i));
            previous = "n" + i;
        }
        nodes.add(Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("a", "{{" + previous + ".text}}"))));
        edges.add(Map.of("from", previous, "to", "out"));
        return Map.of("nodes", nodes, "edges", edges);
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, jdbc.queryForObject("SELECT count(*) FROM " + table
                    + (table.equals("app_versions") ? " v JOIN apps a ON a.id = v.app_id WHERE a.workspace_id = ?::uuid"
                            : " WHERE workspace_id = ?::uuid"), Long.class, workspaceId));
        }
        return counts;
    }

    private static void assertClean(Response r) {
        assertThat(r.status()).as("never 5xx: " + r).isLessThan(500);
        if (r.status() >= 400) {
            assertThat(r.contentType()).as(r.toString()).startsWith("application/problem+json");
            assertThat(r.body()).doesNotContain("Exception", "\tat ", "java.");
        }
    }
}
