package dev.switchboard.app.apps;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.edge;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AppsApiIT extends IntegrationTest {

    private String create(String name) {
        Response created = api.post("/api/v1/apps", app(name, greeting()));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    @Test
    void createsAnAppAndAnswers201WithItsIdAndLocation() {
        Response created = api.post("/api/v1/apps", Map.of("name", "Greeter", "description", "says hello", "graph", greeting()));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String id = body.get("id").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(created.header("Location")).isEqualTo("/api/v1/apps/" + id);
        assertThat(body.get("name").asString()).isEqualTo("Greeter");
        assertThat(body.get("description").asString()).isEqualTo("says hello");
        assertThat(body.get("draftRevision").asInt()).isEqualTo(1);
        assertThat(body.get("latestVersion").isNull()).isTrue();
        assertThat(body.get("graph").get("nodes")).hasSize(3);

        Response fetched = api.get("/api/v1/apps/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("graph")).isEqualTo(body.get("graph"));
    }

    @Test
    void listsAppsNewestFirstInPages() {
        String first = create("page-a");
        String second = create("page-b");
        String third = create("page-c");

        Response page0 = api.get("/api/v1/apps?page=0&size=2");
        assertThat(page0.status()).isEqualTo(200);
        JsonNode body = page0.json();
        assertThat(body.get("items")).hasSize(2);
        assertThat(body.get("size").asInt()).isEqualTo(2);
        assertThat(body.get("totalItems").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(body.get("items").get(0).get("id").asString()).isEqualTo(third);
        assertThat(body.get("items").get(1).get("id").asString()).isEqualTo(second);
        assertThat(body.get("items").get(0).has("graph")).isFalse();

        JsonNode page1 = api.get("/api/v1/apps?page=1&size=2").json();
        assertThat(page1.get("items").get(0).get("id").asString()).isEqualTo(first);

        assertThat(api.get("/api/v1/apps?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/apps?size=101").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/apps?page=-1").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/apps?page=abc").status()).isEqualTo(400);
    }

    @Test
    void updatingTheDraftBumpsItsRevisionAndLeavesPublishedVersionsAlone() {
        String id = create("versioned");
        Response published = api.post("/api/v1/apps/" + id + "/publish", "");
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(published.json().get("version").asInt()).isEqualTo(1);
        assertThat(published.json().get("created").asBoolean()).isTrue();

        Response updated = api.put("/api/v1/apps/" + id, Map.of("name", "versioned v2", "graph", greeting("Hi {{in.text}}")));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("draftRevision").asInt()).isEqualTo(2);
        assertThat(updated.json().get("name").asString()).isEqualTo("versioned v2");

        JsonNode v1 = api.get("/api/v1/apps/" + id + "/versions/1").json();
        assertThat(v1.get("name").asString()).isEqualTo("versioned");
        assertThat(v1.get("graph").get("nodes").get(1).get("config").get("template").asString()).isEqualTo("Hello, {{in.text}}!");

        Response second = api.post("/api/v1/apps/" + id + "/publish", "");
        assertThat(second.json().get("version").asInt()).isEqualTo(2);
        Response again = api.post("/api/v1/apps/" + id + "/publish", "");
        assertThat(again.json().get("version").asInt()).isEqualTo(2);
        assertThat(again.json().get("created").asBoolean()).isFalse();

        JsonNode versions = api.get("/api/v1/apps/" + id + "/versions").json();
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).get("version").asInt()).isEqualTo(2);
        assertThat(versions.get(1).get("version").asInt()).isEqualTo(1);
        assertThat(api.get("/api/v1/apps/" + id).json().get("latestVersion").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/apps/" + id + "/versions/3").status()).isEqualTo(404);
    }

    @Test
    void refusesAnInvalidGraphWith422ListingEveryProblemAndStoresNothing() {
        Map<String, Object> hostile = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(Map.of("name", "text", "type", "text")))),
                        Map.of("id", "a", "type", "transform", "config", Map.of("template", "{{b.text}}")),
                        Map.of("id", "b", "type", "transform", "config", Map.of("template", "{{a.text}}")),
                        Map.of("id", "x", "type", "no-such-kind", "config", Map.of()),
                        Map.of("id", "out", "type", "output", "config", Map.of("values", Map.of("v", "{{a.text}}")))),
                "edges", List.of(edge("in", "a"), edge("a", "b"), edge("b", "a"), edge("a", "out"), edge("a", "ghost")));
        String name = "invalid-" + UUID.randomUUID();

        Response refused = api.post("/api/v1/apps", app(name, hostile));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        JsonNode problem = refused.json();
        assertThat(problem.get("code").asString()).isEqualTo("invalid-graph");
        List<String> codes = problem.get("problems").valueStream().map(p -> p.get("code").asString()).toList();
        assertThat(codes).contains("cycle", "unknown_type", "dangling_edge");
        problem.get("problems").forEach(p -> assertThat(p.has("message")).isTrue());
        assertThat(problem.get("problems").valueStream().anyMatch(p -> "x".equals(p.path("nodeId").asString(null)))).isTrue();
        assertThat(api.get("/api/v1/apps?size=100").body()).doesNotContain(name);
    }

    @Test
    void anInvalidDraftUpdateChangesNothing() {
        String id = create("stays-valid");
        Response refused = api.put("/api/v1/apps/" + id, Map.of("name", "renamed", "graph",
                Map.of("nodes", List.of(), "edges", List.of())));
        assertThat(refused.status()).isEqualTo(422);
        JsonNode app = api.get("/api/v1/apps/" + id).json();
        assertThat(app.get("name").asString()).isEqualTo("stays-valid");
        assertThat(app.get("draftRevision").asInt()).isEqualTo(1);
    }

    @Test
    void deletingAnAppRemovesItsVersions() {
        String id = create("doomed");
        api.post("/api/v1/apps/" + id + "/publish", "");

        Response deleted = api.delete("/api/v1/apps/" + id);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/api/v1/apps/" + id).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/apps/" + id + "/versions/1").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/apps/" + id).status()).isEqualTo(404);
    }

    @Test
    void unknownAppsAre404ProblemsOnEveryPath() {
        String unknown = "/api/v1/apps/" + UUID.randomUUID();
        for (Response r : List.of(api.get(unknown), api.put(unknown, Map.of("name", "x")), api.delete(unknown),
                api.post(unknown + "/publish", ""), api.get(unknown + "/versions"), api.get(unknown + "/versions/1"),
                api.post(unknown + "/runs", Map.of("inputs", Map.of("text", "x"))), api.get("/api/v1/apps/not-a-uuid"))) {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().get("code").asString()).isEqualTo("not-found");
        }
    }

    @Test
    void requestFieldsAreValidatedWith422FieldErrors() {
        Response noName = api.post("/api/v1/apps", Map.of("graph", greeting()));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
        assertThat(noName.json().get("errors").get(0).get("code").asString()).isEqualTo("required");

        Response noGraph = api.post("/api/v1/apps", Map.of("name", "x"));
        assertThat(noGraph.status()).isEqualTo(422);
        assertThat(noGraph.json().get("errors").get(0).get("field").asString()).isEqualTo("graph");

        Response longName = api.post("/api/v1/apps", app("n".repeat(201), greeting()));
        assertThat(longName.status()).isEqualTo(422);

        Response notAnObject = api.post("/api/v1/apps", Map.of("name", "x", "graph", "nodes"));
        assertThat(notAnObject.status()).isEqualTo(422);
        assertThat(notAnObject.json().get("code").asString()).isEqualTo("invalid-graph");

        Response emptyUpdate = api.put("/api/v1/apps/" + create("empty-update"), Map.of());
        assertThat(emptyUpdate.status()).isEqualTo(400);
    }

    @Test
    void anotherWorkspacesAppsAreInvisible() {
        String mine = create("mine");
        Response ws = api.post("/api/v1/workspaces", Map.of("name", "tenant-b"));
        assertThat(ws.status()).as(ws.body()).isEqualTo(201);
        var other = api.withKey(ws.json().get("adminKey").get("secret").asString());

        assertThat(other.get("/api/v1/apps/" + mine).status()).isEqualTo(404);
        assertThat(other.delete("/api/v1/apps/" + mine).status()).isEqualTo(404);
        assertThat(other.post("/api/v1/apps/" + mine + "/runs", Map.of("inputs", Map.of("text", "x"))).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/apps").json().get("items").valueStream()
                .noneMatch(a -> a.get("id").asString().equals(mine))).isTrue();
        assertThat(api.get("/api/v1/apps/" + mine).status()).isEqualTo(200);
        // a tenant admin is not an operator
        assertThat(other.post("/api/v1/workspaces", Map.of("name", "c")).status()).isEqualTo(403);
    }
}
