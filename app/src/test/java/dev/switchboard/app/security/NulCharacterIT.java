package dev.switchboard.app.security;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.support.Api.Response;
import dev.switchboard.app.support.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stores no NUL character. Found by {@link HostileInputIT}: a graph holding one was a
 * 500; now definitions with one are refused with 422 and nothing is written, while run data (user
 * inputs, model outputs) is stored with U+FFFD in its place so the run still completes.
 */
class NulCharacterIT extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aDefinitionWithANulCharacterIsRefusedAndNotWritten() {
        long apps = jdbc.queryForObject("SELECT count(*) FROM apps", Long.class);

        Response r = api.post("/api/v1/apps", app("nul", greeting("Hello \u0000 {{in.text}}")));

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asString()).isEqualTo("unstorable-character");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM apps", Long.class)).isEqualTo(apps);
        Response named = api.post("/api/v1/apps", app("nul\u0000name", greeting()));
        assertThat(named.status()).as(named.body()).isEqualTo(422);
    }

    @Test
    void aRunWhoseDataHoldsANulCharacterCompletesWithTheReplacementCharacter() {
        String id = api.post("/api/v1/apps", app("nul-run", greeting())).json().get("id").asString();

        Response run = api.post("/api/v1/apps/" + id + "/runs", Map.of("inputs", Map.of("text", "A\u0000B")));

        assertThat(run.status()).as(run.body()).isEqualTo(200);
        JsonNode stored = api.get("/api/v1/runs/" + run.json().get("id").asString()).json();
        assertThat(stored.get("status").asString()).isEqualTo("succeeded");
        assertThat(stored.get("outputs").get("greeting").asString()).isEqualTo("Hello, A\uFFFDB!");
    }
}
