package dev.switchboard.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Compares two ways to run Switchboard's durable async runs on one PostgreSQL (synchronous_commit on),
 * each doing the writes a run needs — the runs table stays the source of truth of a run's status:
 *
 * <ul>
 *   <li>{@code skiplocked}: the runs table is the queue. Claim = one {@code UPDATE … FROM (SELECT … FOR
 *       UPDATE SKIP LOCKED LIMIT n) RETURNING} per batch (queued → running + lease); per run: one checkpoint
 *       insert and one final update.</li>
 *   <li>{@code dbscheduler}: db-scheduler 16 (lock-and-fetch polling, immediate execution, 256 threads)
 *       executes a one-time task per run; the task marks the run running, writes the checkpoint and the
 *       final state, and db-scheduler removes its execution row.</li>
 * </ul>
 *
 * Two figures each: <b>drain</b> — N runs queued beforehand, then executed as fast as possible (runs/s);
 * <b>pickup</b> — runs enqueued at a steady rate below capacity, time from the enqueue commit to the
 * start of execution (p50/p99). The engine's own work is left out: it is the same either way.
 *
 * <pre>mvn -q -f bench/queue-eval/pom.xml compile exec:java -Dexec.args="all 20000 400"</pre>
 *
 * (arguments: {@code all|skiplocked|dbscheduler}, runs to drain, pickup rate per second)
 */
public final class QueueEval {

    private static final int WORKERS = 256;
    private static final int BATCH = 64;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "all";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 400;
        System.out.printf("machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100").start()) {
            HikariConfig config = new HikariConfig();
            config.setDataSource(pg.getPostgresDatabase());
            config.setMaximumPoolSize(20);
            try (HikariDataSource ds = new HikariDataSource(config)) {
                schema(ds);
                if (mode.equals("all") || mode.equals("skiplocked")) {
                    report("skiplocked", new SkipLocked(ds), ds, n, rate);
                }
                if (mode.equals("all") || mode.equals("dbscheduler")) {
                    report("dbscheduler", new DbScheduler(ds), ds, n, rate);
                }
                System.out.printf("load average after: %s%n",
                        java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip());
            }
        }
    }

    /** A queue under test. */
    interface Queue extends AutoCloseable {
        void enqueue(UUID id) throws SQLException;

        void start(Execution execution);

        @Override
        void close();
    }

    /** Told when a run starts executing (for pickup latency) and ends (for throughput). */
    interface Execution {
        void started(UUID id);

        void finished(UUID id);
    }

    static void report(String name, Queue queue, DataSource ds, int n, int rate) throws Exception {
        truncate(ds);
        // drain: N queued runs, then the workers start
        List<UUID> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            queue.enqueue(id);
        }
        CountDownLatch done = new CountDownLatch(n);
        ConcurrentHashMap<UUID, Long> enqueued = new ConcurrentHashMap<>();
        List<Long> pickups = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger executions = new AtomicInteger();
        long t0 = System.nanoTime();
        queue.start(new Execution() {
            @Override
            public void started(UUID id) {
                executions.incrementAndGet();
                Long at = enqueued.remove(id);
                if (at != null) {
                    pickups.add(System.nanoTime() - at);
                }
            }

            @Override
            public void finished(UUID id) {
                done.countDown();
            }
        });
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(name + ": drain did not finish");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-12s drain: %d runs in %.1f s = %.0f runs/s (%d executions)%n", name, n, seconds, n / seconds,
                executions.get());
        // pickup: a steady rate below capacity
        int m = rate * 10;
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < m; i++) {
            UUID id = UUID.randomUUID();
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            next += interval;
            long before = System.nanoTime();
            enqueued.put(id, before);
            queue.enqueue(id);
            enqueued.computeIfPresent(id, (k, v) -> System.nanoTime()); // measured from the commit
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (pickups.size() < m && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        long[] sorted = pickups.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%-12s pickup at %d runs/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d runs)%n", name, rate,
                pct(sorted, 0.50), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, sorted.length);
        queue.close();
        verify(name, ds, n + m);
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    static void verify(String name, DataSource ds, int expected) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FILTER (WHERE status = 'succeeded'), count(*) FROM runs")) {
            rs.next();
            System.out.printf("%-12s check: %d of %d runs succeeded%n", name, rs.getLong(1), rs.getLong(2));
            if (rs.getLong(1) != expected) {
                throw new IllegalStateException(name + ": runs lost");
            }
        }
    }

    static void schema(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE runs (id uuid PRIMARY KEY, status text NOT NULL, inputs jsonb NOT NULL, trace jsonb,
                        lease_owner text, lease_expires_at timestamptz, claims int NOT NULL DEFAULT 0,
                        created_at timestamptz NOT NULL DEFAULT now(), started_at timestamptz, finished_at timestamptz);
                    CREATE INDEX runs_queue ON runs (created_at) WHERE status = 'queued';
                    CREATE INDEX runs_leased ON runs (lease_expires_at) WHERE status = 'running';
                    CREATE TABLE run_nodes (run_id uuid NOT NULL, node_id text NOT NULL, checkpoint jsonb,
                        PRIMARY KEY (run_id, node_id));
                    CREATE TABLE scheduled_tasks (task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,
                        execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,
                        last_success timestamptz, last_failure timestamptz, consecutive_failures int,
                        last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,
                        PRIMARY KEY (task_name, task_instance));
                    CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
                    CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
                    CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);""");
        }
    }

    static void truncate(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE runs, run_nodes, scheduled_tasks");
        }
    }

    static void insertQueued(Connection c, UUID id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO runs (id, status, inputs) VALUES (?, 'queued', '{\"text\": \"The food was great\"}')")) {
            p.setObject(1, id);
            p.executeUpdate();
        }
    }

    /** The writes of one run once it executes: its checkpoint (3 rows, one statement), then its end. */
    static void runWrites(Connection c, UUID id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO run_nodes (run_id, node_id, checkpoint) VALUES (?, 'in', '{"kind":"completed"}'),
                    (?, 'ask', '{"kind":"completed"}'), (?, 'ai', '{"kind":"completed","outputs":{"text":"positive"}}')""")) {
            p.setObject(1, id);
            p.setObject(2, id);
            p.setObject(3, id);
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("""
                UPDATE runs SET status = 'succeeded', trace = '[{"nodeId":"in"},{"nodeId":"ask"},{"nodeId":"ai"},{"nodeId":"out"}]',
                    finished_at = now(), lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ? AND status = 'running'""")) {
            p.setObject(1, id);
            if (p.executeUpdate() != 1) {
                throw new IllegalStateException("run " + id + " was not running");
            }
        }
    }

    /** The hand-written queue, as in the app's RunQueue. */
    static final class SkipLocked implements Queue {
        private final DataSource ds;
        private final Semaphore slots = new Semaphore(WORKERS);
        private final Semaphore wake = new Semaphore(0);
        private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        private volatile boolean running;
        private Thread claimer;

        SkipLocked(DataSource ds) {
            this.ds = ds;
        }

        @Override
        public void enqueue(UUID id) throws SQLException {
            try (Connection c = ds.getConnection()) {
                insertQueued(c, id);
            }
            wake.release();
        }

        @Override
        public void start(Execution execution) {
            running = true;
            claimer = Thread.ofPlatform().start(() -> {
                while (running) {
                    int free = Math.min(slots.availablePermits(), BATCH);
                    List<UUID> claimed = free == 0 ? List.of() : claim(free);
                    for (UUID id : claimed) {
                        slots.acquireUninterruptibly();
                        workers.execute(() -> {
                            try (Connection c = ds.getConnection()) {
                                execution.started(id);
                                runWrites(c, id);
                                execution.finished(id);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            } finally {
                                slots.release();
                                wake.release();
                            }
                        });
                    }
                    if (claimed.size() < free || free == 0) {
                        try {
                            if (wake.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                wake.drainPermits();
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
        }

        private List<UUID> claim(int n) {
            try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("""
                    WITH next AS (SELECT id FROM runs WHERE status = 'queued' ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
                    UPDATE runs r SET status = 'running', lease_owner = 'eval', lease_expires_at = now() + interval '30 seconds',
                        claims = r.claims + 1, started_at = now()
                    FROM next WHERE r.id = next.id RETURNING r.id, r.inputs::text""")) {
                p.setInt(1, n);
                List<UUID> ids = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                return ids;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            running = false;
            wake.release();
            try {
                claimer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            workers.close();
        }
    }

    /** db-scheduler executing one one-time task per run; the runs table is still the truth of its status. */
    static final class DbScheduler implements Queue {
        private final DataSource ds;
        private final OneTimeTask<String> task;
        private Scheduler scheduler;
        private volatile Execution execution;

        DbScheduler(DataSource ds) {
            this.ds = ds;
            this.task = Tasks.oneTime("run", String.class).execute((instance, context) -> {
                UUID id = UUID.fromString(instance.getData());
                try (Connection c = ds.getConnection()) {
                    try (PreparedStatement p = c.prepareStatement(
                            "UPDATE runs SET status = 'running', claims = claims + 1, started_at = now() WHERE id = ? AND status = 'queued'")) {
                        p.setObject(1, id);
                        p.executeUpdate();
                    }
                    execution.started(id);
                    runWrites(c, id);
                    execution.finished(id);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            this.scheduler = build();
        }

        private Scheduler build() {
            return Scheduler.create(ds, task)
                    .threads(WORKERS)
                    .pollUsingLockAndFetch(0.5, 1.0)
                    .pollingInterval(Duration.ofMillis(100))
                    .enableImmediateExecution()
                    .build();
        }

        @Override
        public void enqueue(UUID id) throws SQLException {
            // the run row and its task in one transaction, as an accepting request would need
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                insertQueued(c, id);
                try (PreparedStatement p = c.prepareStatement("""
                        INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
                        VALUES ('run', ?, ?, now(), false, 1)""")) {
                    p.setString(1, id.toString());
                    p.setBytes(2, serialize(id.toString()));
                    p.executeUpdate();
                }
                c.commit();
            }
            if (scheduler != null && started) {
                scheduler.triggerCheckForDueExecutions();
            }
        }

        private volatile boolean started;

        @Override
        public void start(Execution execution) {
            this.execution = execution;
            scheduler.start();
            started = true;
        }

        @Override
        public void close() {
            scheduler.stop();
        }

        private static byte[] serialize(String data) {
            var out = new java.io.ByteArrayOutputStream();
            try (var o = new java.io.ObjectOutputStream(out)) {
                o.writeObject(data);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }

    private QueueEval() {
    }
}
