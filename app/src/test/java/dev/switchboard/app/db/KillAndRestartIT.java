package dev.switchboard.app.db;

import static dev.switchboard.app.support.TestGraphs.app;
import static dev.switchboard.app.support.TestGraphs.greeting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged app as a real process: killed with SIGKILL, it leaves its PostgreSQL running; the
 * next start stops that orphan, reuses the data and serves what the first process wrote. A
 * normal stop (SIGTERM) shuts PostgreSQL down too.
 */
class KillAndRestartIT {

    private static final String KEY = "kill-admin-key-0123456789abcdef";

    @TempDir
    Path dataDir;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Process start(int port) throws IOException {
        Path jar = Path.of("target/switchboard.jar");
        assertThat(jar).as("the packaged app (mvn package runs before the integration tests)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-jar", jar.toString(),
                "--server.port=" + port, "--switchboard.data-dir=" + dataDir, "--switchboard.api-key=" + KEY,
                "--switchboard.demo.enabled=false"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("app-" + port + ".log").toFile()).start();
        Api api = new Api("http://127.0.0.1:" + port, null);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("app process died; see its log in %s", dataDir).isTrue();
            try {
                return api.get("/actuator/health").status() == 200;
            } catch (AssertionError e) {
                return false;
            }
        });
        return process;
    }

    @Test
    void aKilledAppRestartsOnItsDataAndItsOrphanedDatabaseIsStopped() throws Exception {
        int port = freePort();
        Process first = start(port);
        Api api = new Api("http://127.0.0.1:" + port, KEY);
        String appId;
        String runId;
        try {
            Response created = api.post("/api/v1/apps", app("crash-survivor", greeting()));
            appId = created.json().get("id").asString();
            runId = api.post("/api/v1/apps/" + appId + "/runs", Map.of("inputs", Map.of("text", "kill"))).json()
                    .get("id").asString();
        } finally {
            first.destroyForcibly().waitFor();
        }
        long orphan = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).getFirst().strip());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).as("postgres outlives a SIGKILLed app").contains(true);

        int port2 = freePort();
        Process second = start(port2);
        try {
            Api again = new Api("http://127.0.0.1:" + port2, KEY);
            assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(again.get("/api/v1/apps/" + appId).json().get("name").asString()).isEqualTo("crash-survivor");
            assertThat(again.get("/api/v1/runs/" + runId).json().get("outputs").get("greeting").asString())
                    .isEqualTo("Hello, kill!");
        } finally {
            second.destroy(); // SIGTERM: graceful shutdown
            assertThat(second.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("PostgreSQL stopped with the app").doesNotExist();
    }
}
