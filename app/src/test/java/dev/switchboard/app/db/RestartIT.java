package dev.switchboard.app.db;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.SwitchboardApplication;
import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Two sequential starts of the app on one data directory: what the first wrote, the second finds. */
class RestartIT {

    private static final String KEY = "restart-admin-key-0123456789";

    @TempDir
    Path dataDir;

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(SwitchboardApplication.class).run(
                "--server.port=0", "--switchboard.data-dir=" + dataDir, "--switchboard.api-key=" + KEY,
                "--switchboard.instance-id=restart-it");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"), KEY);
    }

    @Test
    void aRestartFindsItsAppsVersionsAndRunsAndResumesRunsACrashInterrupted() {
        String appId;
        String runId;
        JsonNode firstRun;
        UUID interrupted = UUID.randomUUID();
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = api(first);
            Response created = api.post("/api/v1/apps", app("survivor", greeting()));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            appId = created.json().get("id").asString();
            assertThat(api.post("/api/v1/apps/" + appId + "/publish", "").status()).isEqualTo(200);
            firstRun = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "again"))).json();
            runId = firstRun.get("id").asString();
            // what a crash mid-run leaves behind: a run row that is still "running"
            first.getBean(JdbcTemplate.class).update("""
                    INSERT INTO runs (id, workspace_id, app_id, app_version, source, mode, status, inputs, runner,
                                      lease_owner, lease_expires_at, claims, created_at, started_at)
                    SELECT ?, workspace_id, id, 1, 'api', 'async', 'running', '{"text": "resumed"}'::jsonb, 'restart-it',
                           'restart-it/dead', now() + interval '1 hour', 1, now(), now()
                    FROM apps WHERE id = ?::uuid""", interrupted, appId);
        }
        assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = api(second);
            JsonNode app = api.get("/api/v1/apps/" + appId).json();
            assertThat(app.get("name").asString()).isEqualTo("survivor");
            assertThat(app.get("latestVersion").asInt()).isEqualTo(1);
            JsonNode run = api.get("/api/v1/runs/" + runId).json();
            assertThat(run.get("status").asString()).isEqualTo("succeeded");
            assertThat(run.get("outputs").get("greeting").asString()).isEqualTo("Hello, again!");
            assertThat(run.get("trace")).isEqualTo(firstRun.get("trace"));
            // the next start of the same instance re-queues it at once (its lease would last an
            // hour more) and it runs to the end
            JsonNode resumed = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> api.get("/api/v1/runs/" + interrupted).json(), r -> r.get("status").asString().equals("succeeded"));
            assertThat(resumed.get("outputs").get("greeting").asString()).isEqualTo("Hello, resumed!");
            // the same bootstrap key still works, and was not registered twice
            assertThat(api.get("/api/v1/keys").json().valueStream()
                    .filter(k -> k.get("name").asString().contains("SWITCHBOARD_API_KEY")).count()).isEqualTo(1);
            // the demo app was seeded once, not once per start
            assertThat(api.get("/api/v1/apps?size=100").json().get("items").valueStream()
                    .filter(a -> a.get("name").asString().equals("Sentiment demo")).count()).isEqualTo(1);
        }
    }

    @Test
    void aConfiguredDatasourceIsUsedInsteadOfTheEmbeddedDatabase(@TempDir Path externalDir) {
        try (EmbeddedPostgresServer external = EmbeddedPostgresServer.start(externalDir, 0, Map.of());
                ConfigurableApplicationContext app = new SpringApplicationBuilder(SwitchboardApplication.class).run(
                        "--server.port=0", "--switchboard.data-dir=" + dataDir, "--switchboard.api-key=" + KEY,
                        "--spring.datasource.url=" + external.jdbcUrl(), "--spring.datasource.username=postgres")) {
            assertThat(app.getBeanProvider(EmbeddedPostgresServer.class).getIfAvailable()).isNull();
            assertThat(dataDir.resolve("postgres")).doesNotExist();
            Response created = api(app).post("/api/v1/apps", app("external", greeting()));
            assertThat(created.status()).isEqualTo(201);
            Long stored = new JdbcTemplate(new org.springframework.jdbc.datasource.SimpleDriverDataSource(
                    new org.postgresql.Driver(), external.jdbcUrl(), "postgres", "")).queryForObject(
                    "SELECT count(*) FROM apps WHERE name = 'external'", Long.class);
            assertThat(stored).isEqualTo(1);
        }
    }

    @Test
    void aSecondProcessOnTheSameDataDirectoryIsRefused() {
        try (ConfigurableApplicationContext first = start(dataDir)) {
            assertThat(first.isRunning()).isTrue();
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDir, 0, Map.of()))
                    .hasMessageContaining("in use by another Switchboard process");
        }
    }
}
