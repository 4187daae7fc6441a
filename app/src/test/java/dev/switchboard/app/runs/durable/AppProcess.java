package dev.switchboard.app.runs.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged app ({@code target/switchboard.jar}, built by {@code package} before failsafe runs)
 * as a real child process with the JVM flags of {@code bin/jdk25.sh}, its output in a log file.
 */
final class AppProcess {

    static final String KEY = "durable-admin-key-0123456789abcdef";

    final String name;
    final int port;
    final Path log;
    private final Process process;

    private AppProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    static AppProcess start(String name, Path logDir, List<String> args) throws IOException {
        Path jar = Path.of("target/switchboard.jar");
        assertThat(jar).as("the packaged app (mvn package runs before the integration tests)").exists();
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--server.port=" + port,
                "--switchboard.api-key=" + KEY, "--switchboard.demo.enabled=false", "--switchboard.instance-id=" + name,
                "--switchboard.data-dir=" + logDir.resolve("data-" + name)));
        command.addAll(args);
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + "-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AppProcess(name, port, log, process);
    }

    /** Waits until the app answers its health check. */
    AppProcess awaitUp() {
        Api api = new Api("http://127.0.0.1:" + port, null);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            assertThat(process.isAlive()).as("app %s died; see %s", name, log).isTrue();
            try {
                return api.get("/actuator/health").status() == 200;
            } catch (AssertionError | RuntimeException e) {
                return false; // not listening yet
            }
        });
        return this;
    }

    Api api() {
        return new Api("http://127.0.0.1:" + port, KEY);
    }

    /** SIGKILL: no shutdown hook, no graceful anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: graceful shutdown; true when it exited in time. */
    boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
