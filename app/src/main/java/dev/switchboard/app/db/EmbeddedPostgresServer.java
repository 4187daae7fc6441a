package dev.switchboard.app.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default database: a real PostgreSQL server process (zonky's packaged binaries) whose
 * cluster lives in {@code <data-dir>/postgres} and survives restarts.
 *
 * <p>Contract: {@link #start} takes an exclusive lock on the data directory for the life of this
 * object, so a second Switchboard process on the same directory fails fast with a clear message
 * instead of corrupting the cluster. A postmaster orphaned by a crashed earlier process (kill -9)
 * is stopped before the new one starts. {@link #close} stops the server (fast shutdown) and
 * releases the lock; it is idempotent, and the only way the server stops while this JVM lives (no shutdown
 * hook of its own, so an application stops it after whatever writes to it).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String DATABASE = "switchboard";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path clusterDir;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, FileChannel lockChannel, FileLock lock, Path clusterDir) {
        this.postgres = postgres;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.clusterDir = clusterDir;
    }

    /**
     * Starts (initialising on first use) the cluster under {@code dataDir}.
     *
     * @param port the TCP port on localhost, or 0 for a free one
     * @param serverConfig extra {@code postgresql.conf} settings, applied on the command line
     * @throws IllegalStateException when another process holds the data directory
     */
    public static EmbeddedPostgresServer start(Path dataDir, int port, Map<String, String> serverConfig) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve("switchboard.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("The data directory " + dataDir.toAbsolutePath()
                        + " is in use by another Switchboard process; stop it or set SWITCHBOARD_DATA_DIR to another directory");
            }
            Path clusterDir = dataDir.resolve("postgres").toAbsolutePath();
            stopOrphanedPostmaster(clusterDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(clusterDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(Redirect.appendTo(dataDir.resolve("postgres.log").toFile()))
                    .setErrorRedirector(Redirect.appendTo(dataDir.resolve("postgres.log").toFile()));
            // zonky defaults synchronous_commit to off; a committed run must survive a power cut.
            builder.setServerConfig("synchronous_commit", "on");
            builder.setServerConfig("listen_addresses", "localhost");
            // No JVM shutdown hook of zonky's own: it raced the application context's close and stopped the
            // server while runs were still writing their last state and the pool was open (then every pool
            // and executor waited out its timeout). The owner stops it with close() — the Spring bean after
            // everything that uses the pool; a postmaster left by a JVM that never got there is stopped by
            // the next start (stopOrphanedPostmaster).
            builder.setRegisterShutdownHook(false);
            serverConfig.forEach(builder::setServerConfig);
            EmbeddedPostgres postgres = builder.start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, channel, lock, clusterDir);
            server.createDatabaseIfMissing();
            log.info("Embedded PostgreSQL running on localhost:{} with data in {}", postgres.getPort(), clusterDir);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir.toAbsolutePath(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path clusterDirectory() {
        return clusterDir;
    }

    private void createDatabaseIfMissing() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database '" + DATABASE + "' in the embedded PostgreSQL", e);
        }
    }

    /**
     * A JVM killed with -9 leaves its postmaster running (pg_ctl detaches it). We hold the
     * data-directory lock, so a live postmaster on our cluster can only be such an orphan.
     */
    static void stopOrphanedPostmaster(Path clusterDir) throws IOException {
        Path pidFile = clusterDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.getFirst().trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (handle.isEmpty()) {
            return; // stale pid file: PostgreSQL itself handles that on start
        }
        log.warn("Stopping an orphaned PostgreSQL (pid {}) left running on {} by an earlier process", pid, clusterDir);
        ProcessHandle postmaster = handle.get();
        postmaster.destroy(); // SIGTERM: smart shutdown; its clients died with the old JVM
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            postmaster.destroyForcibly(); // crash recovery on the next start replays the WAL
            postmaster.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while stopping an orphaned PostgreSQL", e);
        } catch (ExecutionException e) {
            throw new IOException("Could not stop an orphaned PostgreSQL", e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Could not stop the embedded PostgreSQL cleanly", e);
        } finally {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
                lockChannel.close();
            } catch (IOException e) {
                log.debug("Could not release the data-directory lock", e);
            }
        }
    }
}
