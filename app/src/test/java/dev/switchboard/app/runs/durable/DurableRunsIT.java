package dev.switchboard.app.runs.durable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.app.support.Api;
import dev.switchboard.app.support.Api.Response;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Durable async runs with real processes: the packaged app started as child processes against one
 * PostgreSQL (started here), a loopback model that takes ~1 s per answer, and a loopback webhook
 * sink that counts deliveries. The graph ends in a {@code webhook} node, so "delivered exactly once"
 * is counted where it matters: at the receiver.
 *
 * <p>The tests build on each other (one set of processes, in order): a SIGKILL mid-way through 200
 * runs and a restart; two replicas sharing the queue; deadlines, also of a run whose process died;
 * a cancel through the other replica; backpressure; a graceful stop handing runs back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DurableRunsIT {

    private static final Path LOGS = Path.of("target/durable-it");

    private EmbeddedPostgres postgres;
    private DataSource db;
    private LoopbackServers servers;
    private AppProcess a;
    private AppProcess b;
    private String deliverApp;
    private String slowApp;

    @BeforeAll
    void startDatabaseAndFakes() throws Exception {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
        db = postgres.getPostgresDatabase();
        servers = new LoopbackServers();
        a = AppProcess.start("a", LOGS, args(200)).awaitUp();
        deliverApp = publish(a.api(), "deliver", 1000);
        slowApp = publish(a.api(), "slow", 20_000);
    }

    /** Settings of every replica: short leases so that recovery after a crash takes seconds, not 30 s. */
    private List<String> args(int maxDepth) {
        return List.of("--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.maximum-pool-size=10",
                "--switchboard.gateway.providers.fake.type=openai-compatible",
                "--switchboard.gateway.providers.fake.base-url=" + servers.modelBaseUrl(),
                "--switchboard.gateway.providers.fake.api-key=sk-fake",
                "--switchboard.gateway.resilience.max-attempts=1",
                "--switchboard.outbound.allow=" + servers.sinkHostPort(),
                "--switchboard.runs.async-concurrency=20",
                "--switchboard.runs.shutdown-grace=2s",
                "--switchboard.runs.queue.lease=4s",
                "--switchboard.runs.queue.heartbeat=1s",
                "--switchboard.runs.queue.poll-interval=100ms",
                "--switchboard.runs.queue.reaper-interval=500ms",
                "--switchboard.runs.queue.max-depth=" + maxDepth);
    }

    /** in → transform → ai (the model takes {@code delayMs}) → webhook (the sink) → output. */
    private String publish(Api api, String name, int delayMs) {
        Map<String, Object> graph = Map.of(
                "nodes", List.of(
                        Map.of("id", "in", "type", "input", "config", Map.of("fields", List.of(
                                Map.of("name", "text", "type", "text", "required", true)))),
                        Map.of("id", "ask", "type", "transform", "config", Map.of("template", "Answer: {{in.text}}")),
                        Map.of("id", "ai", "type", "ai", "config", Map.of("model", "fake/delay-" + delayMs,
                                "prompt", "{{ask.text}}", "maxTokens", 16, "timeout", "60s")),
                        Map.of("id", "hook", "type", "webhook", "config", Map.of("url", servers.sinkUrl(),
                                "body", "{\"text\": \"{{in.text}}\", \"answer\": \"{{ai.text}}\"}")),
                        Map.of("id", "out", "type", "output", "config", Map.of("values",
                                Map.of("answer", "{{ai.text}}", "delivered", "{{hook.status}}")))),
                "edges", List.of(Map.of("from", "in", "to", "ask"), Map.of("from", "ask", "to", "ai"),
                        Map.of("from", "ai", "to", "hook"), Map.of("from", "hook", "to", "out")));
        Response created = api.post("/api/v1/apps", Map.of("name", name, "graph", graph));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(api.post("/api/v1/apps/" + id + "/publish", "").status()).isEqualTo(200);
        return id;
    }

    private static String submit(Api api, String appId, String text, String timeout) {
        Map<String, Object> body = new HashMap<>(Map.of("inputs", Map.of("text", text)));
        if (timeout != null) {
            body.put("timeout", timeout);
        }
        Response r = api.post("/api/v1/apps/" + appId + "/runs?mode=async", body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().get("id").asString();
    }

    @Test
    @Order(1)
    void aKilledAppsRunsAllFinishAfterARestartEachDeliveredOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(submit(a.api(), deliverApp, "run " + i, null));
        }
        String first = ids.getFirst();
        await().atMost(Duration.ofSeconds(30)).until(() -> !Set.of("queued", "running").contains(status(first)));
        assertThat(status(first)).as(a.api().get("/api/v1/runs/" + first).body()).isEqualTo("succeeded");
        await().atMost(Duration.ofMinutes(1)).until(() -> servers.deliveries() >= 60);
        a.kill();
        int deliveredBeforeKill = servers.deliveries();
        assertThat(deliveredBeforeKill).as("killed mid-way").isLessThan(200);
        Map<String, Long> atKill = statuses(ids);

        // the same instance comes back, and a second replica joins
        CompletableFuture<AppProcess> again = CompletableFuture.supplyAsync(() -> start("a", args(200)));
        CompletableFuture<AppProcess> other = CompletableFuture.supplyAsync(() -> start("b", args(300)));
        a = again.join();
        b = other.join();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> statuses(ids).getOrDefault("succeeded", 0L) == 200);
        Map<String, AtomicInteger> byKey = deliveriesOf(ids);
        assertThat(byKey).as("every run's webhook reached the sink").hasSize(200);
        long duplicates = byKey.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).count();
        // only a run killed between posting and recording its delivery may post again, with the same key
        assertThat(duplicates).as("runs posted twice (same Idempotency-Key); statuses at the kill: %s", atKill)
                .isLessThanOrEqualTo(atKill.getOrDefault("running", 0L));
        assertThat(texts("SELECT DISTINCT outputs::text FROM runs WHERE id = ANY (?::uuid[])", ids.toArray(String[]::new)))
                .containsExactly("{\"answer\": \"the answer\", \"delivered\": 204}");
        assertThat(query("SELECT count(*) FROM runs WHERE id = ANY (?::uuid[]) AND recoveries > 0", ids.toArray(String[]::new)))
                .as("runs the crash interrupted were recovered").isPositive();
        System.out.printf("kill -9 test: %d delivered before the kill, statuses at the kill %s, %d duplicate post(s)%n",
                deliveredBeforeKill, atKill, duplicates);

        // what an operator sees of it: the runs the crash left running were recovered (by the restarted
        // instance at once, or by the other replica's reaper had the restart been slower than the lease)
        assertThat(metric(a, "switchboard_queue_recovered_total", "outcome=\"queued\"")
                + metric(b, "switchboard_queue_recovered_total", "outcome=\"queued\""))
                .isEqualTo(atKill.getOrDefault("running", 0L).doubleValue());
        assertThat(metric(a, "switchboard_queue_claim_seconds_count", "") + metric(b, "switchboard_queue_claim_seconds_count", ""))
                .as("claim statements timed").isPositive();
        assertThat(metric(a, "switchboard_queue_claim_seconds", "quantile=\"0.99\"")).as("claim p99 published").isPositive();
        assertThat(metric(a, "switchboard_queue_wait_seconds_count", "") + metric(b, "switchboard_queue_wait_seconds_count", ""))
                .as("runs of the restarted processes that waited in the queue").isPositive();
        assertThat(scrape(a)).containsPattern("(?m)^switchboard_queue_depth\\{[^}]*} \\d")
                .containsPattern("(?m)^switchboard_queue_wait_seconds\\{[^}]*quantile=\"0.99\"[^}]*} \\d");
    }

    @Test
    @Order(2)
    void twoReplicasOnOneDatabaseExecuteEveryRunOnce() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(submit((i % 2 == 0 ? a : b).api(), deliverApp, "shared " + i, null));
        }
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> statuses(ids).getOrDefault("succeeded", 0L) == 200);
        Map<String, AtomicInteger> byKey = deliveriesOf(ids);
        assertThat(byKey).hasSize(200);
        assertThat(byKey.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(query("SELECT count(*) FROM runs WHERE id = ANY (?::uuid[]) AND claims = 1", ids.toArray(String[]::new)))
                .as("each run claimed once").isEqualTo(200);
        assertThat(query("SELECT count(DISTINCT runner) FROM runs WHERE id = ANY (?::uuid[])", ids.toArray(String[]::new)))
                .as("both replicas worked").isEqualTo(2);
    }

    @Test
    @Order(3)
    void aCancelThroughTheOtherReplicaStopsARunningRun() {
        String id = submit(a.api(), slowApp, "cancel me", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(status(id))
                && "a".equals(queryText("SELECT runner FROM runs WHERE id = ?::uuid", id)));
        Response cancelled = b.api().post("/api/v1/runs/" + id + "/cancel", "");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("cancelled");
        assertThat(b.api().post("/api/v1/runs/" + id + "/cancel", "").status()).isEqualTo(409);
    }

    @Test
    @Order(4)
    void runsPastTheirDeadlineEndTimedOutAlsoWhenTheirProcessDied() throws Exception {
        String live = submit(b.api(), slowApp, "too slow", "1500ms");
        String orphan = submit(a.api(), slowApp, "orphaned", "3s");
        await().atMost(Duration.ofSeconds(20)).until(() -> "running".equals(status(orphan)));
        a.kill();
        await().atMost(Duration.ofSeconds(20)).until(() -> "timed_out".equals(status(live)));
        // nobody executes the orphan any more: the other replica's reaper ends it after its deadline
        await().atMost(Duration.ofSeconds(30)).until(() -> "timed_out".equals(status(orphan)));
        assertThat(b.api().get("/api/v1/runs/" + orphan).json().get("error").get("type").asString()).isEqualTo("timed_out");
        assertThat(metric(b, "switchboard_queue_recovered_total", "outcome=\"timed_out\"")).as("the reaper's time-out counted")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(5)
    void aFullQueueRefusesNewRunsWith429AndRetryAfter() {
        Response refused = null;
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 400 && refused == null; i++) {
            Response r = b.api().post("/api/v1/apps/" + slowApp + "/runs?mode=async", Map.of("inputs", Map.of("text", "fill " + i)));
            if (r.status() == 202) {
                accepted.add(r.json().get("id").asString());
            } else {
                refused = r;
            }
        }
        assertThat(refused).as("a run refused before 400 were queued (limit 300)").isNotNull();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("queue-full");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 60);
        assertThat(accepted.size()).isBetween(300, 340);
        assertThat(metric(b, "switchboard_queue_depth", "")).as("the depth gauge of the refusing replica").isGreaterThanOrEqualTo(300);
        // cancelling queued runs is immediate
        for (String id : accepted.subList(accepted.size() - 50, accepted.size())) {
            Response c = b.api().post("/api/v1/runs/" + id + "/cancel", "");
            assertThat(c.status()).as(c.body()).isEqualTo(200);
        }
        assertThat(statuses(accepted.subList(accepted.size() - 50, accepted.size()))).containsOnlyKeys("cancelled");
    }

    @Test
    @Order(6)
    void aGracefulStopHandsRunsInFlightBackToTheQueue() throws Exception {
        List<String> running = query("SELECT id::text FROM runs WHERE status = 'running' AND runner = 'b'");
        assertThat(running).as("b executes slow runs now").hasSize(20);
        assertThat(b.stop(Duration.ofSeconds(60))).as("b stopped within a minute").isTrue();
        assertThat(statuses(running)).containsOnlyKeys("queued");
        assertThat(query("SELECT count(*) FROM runs WHERE id = ANY (?::uuid[]) AND lease_owner IS NULL AND recoveries = 0",
                running.toArray(String[]::new))).isEqualTo(20);
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AppProcess p : new AppProcess[] {a, b}) {
            if (p != null && p.isAlive()) {
                p.kill();
            }
        }
        if (servers != null) {
            servers.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private AppProcess start(String name, List<String> args) {
        try {
            return AppProcess.start(name, LOGS, args).awaitUp();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String scrape(AppProcess app) {
        Response r = app.api().get("/actuator/prometheus");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    /** Sum of the samples of {@code name} (exact metric name) whose labels contain {@code labels}. */
    private static double metric(AppProcess app, String name, String labels) {
        return scrape(app).lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private Map<String, AtomicInteger> deliveriesOf(List<String> runIds) {
        Set<String> ids = Set.copyOf(runIds);
        return servers.deliveriesByKey().entrySet().stream()
                .filter(e -> ids.contains(e.getKey().split(":")[0]))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private Map<String, Long> statuses(List<String> ids) {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT status, count(*) FROM runs WHERE id = ANY (?::uuid[]) GROUP BY status")) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private String status(String id) {
        return queryText("SELECT status FROM runs WHERE id = ?::uuid", id);
    }

    private String queryText(String sql, String arg) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long query(String sql, String[] ids) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> texts(String sql, String[] ids) {
        List<String> values = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    private List<String> query(String sql) {
        List<String> values = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }
}
