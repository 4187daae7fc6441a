package dev.switchboard.app.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.FakeModelServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** A workspace's own provider key: stored sealed, shown masked, used for that workspace's calls only. */
class ProviderCredentialsIT extends GatewayIntegrationTest {

    private static final String OWN_KEY = "sk-own-workspace-key-5d7e9f1a";

    private final WireMockServer fake = FakeModelServer.server();

    @Autowired
    JdbcTemplate jdbc;

    private void stubAnyKey(String model) {
        fake.stubFor(post(urlPathEqualTo("/v1/chat/completions")).withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(AiNodeResilienceIT.completion(model, "ok"))));
    }

    private static Map<String, Object> chatBody(String model) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "hello")));
    }

    private int requestsWithKey(String model, String key) {
        return fake.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + key)).withRequestBody(matchingJsonPath("$.model", equalTo(model)))).size();
    }

    @Test
    void aWorkspacesOwnKeyIsUsedForItsCallsAndOnlyShownMasked() {
        stubAnyKey("own-key");
        Api ws = newWorkspace();
        UUID workspace = UUID.fromString(workspaceId(ws));

        Response put = ws.put("/api/v1/providers/prime/credentials", Map.of("apiKey", OWN_KEY));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).doesNotContain(OWN_KEY);
        assertThat(put.json().get("apiKeyHint").asString()).isEqualTo("****9f1a");
        assertThat(ws.get("/api/v1/providers/prime/credentials").body()).doesNotContain(OWN_KEY).contains("****9f1a");
        String sealed = jdbc.queryForObject("SELECT api_key FROM provider_credentials WHERE workspace_id = ? AND provider = 'prime'",
                String.class, workspace);
        assertThat(sealed).startsWith("v1:").doesNotContain(OWN_KEY);

        assertThat(ws.post("/v1/chat/completions", chatBody("prime/own-key")).status()).isEqualTo(200);
        assertThat(api.post("/v1/chat/completions", chatBody("prime/own-key")).status()).isEqualTo(200); // default workspace
        assertThat(requestsWithKey("own-key", OWN_KEY)).isEqualTo(1);
        assertThat(requestsWithKey("own-key", PRIME_KEY)).isEqualTo(1);

        JsonNodeList providers = new JsonNodeList(ws.get("/api/v1/providers").json());
        assertThat(providers.named("prime").get("credentials").get("apiKeyHint").asString()).isEqualTo("****9f1a");
        assertThat(providers.named("backup").get("credentials").isNull()).isTrue();

        assertThat(ws.delete("/api/v1/providers/prime/credentials").status()).isEqualTo(204);
        assertThat(ws.get("/api/v1/providers/prime/credentials").status()).isEqualTo(404);
        assertThat(ws.post("/v1/chat/completions", chatBody("prime/own-key")).status()).isEqualTo(200);
        assertThat(requestsWithKey("own-key", PRIME_KEY)).isEqualTo(2);
    }

    @Test
    void unknownProvidersBadKeysAndNonAdminsAreRefused() {
        Api ws = newWorkspace();
        String buildKey = ws.post("/api/v1/keys", Map.of("name", "builder", "role", "build")).json().get("secret").asString();

        Response unknown = ws.put("/api/v1/providers/nobody/credentials", Map.of("apiKey", OWN_KEY));
        Response blank = ws.put("/api/v1/providers/prime/credentials", Map.of("apiKey", " "));
        Response spaces = ws.put("/api/v1/providers/prime/credentials", Map.of("apiKey", "sk with spaces"));
        Response notAdmin = ws.withKey(buildKey).put("/api/v1/providers/prime/credentials", Map.of("apiKey", OWN_KEY));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asString()).contains("prime").contains("backup");
        assertThat(blank.status()).isEqualTo(422);
        assertThat(spaces.status()).isEqualTo(422);
        assertThat(spaces.body()).doesNotContain("sk with spaces");
        assertThat(notAdmin.status()).isEqualTo(403);
        assertThat(ws.withKey(buildKey).get("/api/v1/providers").status()).isEqualTo(200);
    }

    /** Finds entries of a JSON array by their {@code name}. */
    private record JsonNodeList(tools.jackson.databind.JsonNode array) {
        tools.jackson.databind.JsonNode named(String name) {
            return array.valueStream().filter(n -> n.get("name").asString().equals(name)).findFirst().orElseThrow();
        }
    }
}
