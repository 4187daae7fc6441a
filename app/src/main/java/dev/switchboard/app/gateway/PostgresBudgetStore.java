package dev.switchboard.app.gateway;

import dev.switchboard.gateway.BudgetStore;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Workspace budgets and spend in PostgreSQL ({@code workspace_budgets}, {@code workspace_spend}),
 * kept off the hot path of model calls:
 *
 * <ul>
 *   <li>{@link #charge} only adds to an in-memory ledger; a background thread writes every
 *       workspace's new charges in one transaction each {@code flush-interval} as additive upserts
 *       per UTC day, so replicas never overwrite each other. A crash loses at most one interval of
 *       charges; shutdown flushes.</li>
 *   <li>{@link #budget} answers from the ledger: the spend read from the database at the last load
 *       plus everything charged here since. A workspace's limit and the database spend (other
 *       replicas' charges) are re-read when older than {@code refresh-interval}, when the period
 *       rolls over, and at once after this replica changes the budget.</li>
 * </ul>
 *
 * <p>Loads and flushes are serialized by one lock, so a load always sees the database either
 * before or after a whole flush, and a charge is counted exactly once in what {@link #budget}
 * reports. Thread-safe.
 */
@Component
final class PostgresBudgetStore implements BudgetStore, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PostgresBudgetStore.class);

    private static final String UPSERT_SPEND = """
            INSERT INTO workspace_spend (workspace_id, day, cost_usd) VALUES (?, ?, ?)
            ON CONFLICT (workspace_id, day) DO UPDATE SET cost_usd = workspace_spend.cost_usd + EXCLUDED.cost_usd""";

    /** A workspace's limit. */
    record Limit(BigDecimal usd, BudgetPeriod period, Instant updatedAt) {
    }

    /** What this replica knows of one workspace. Guarded by its own monitor. */
    private static final class Ledger {
        final Map<LocalDate, BigDecimal> unflushed = new HashMap<>();
        /** Charged here since the last load (flushed or not): exactly what {@link #snapshot} lacks. */
        BigDecimal unseen = BigDecimal.ZERO;
        BigDecimal snapshot = BigDecimal.ZERO;
        Limit limit;
        LocalDate periodStart;
        long loadedAtMillis;
        boolean loaded;
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final long refreshMillis;
    private final ReentrantLock io = new ReentrantLock();
    private final Map<UUID, Ledger> ledgers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    PostgresBudgetStore(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, BudgetProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.refreshMillis = properties.refreshInterval().toMillis();
        this.flusher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("budget-flush").daemon().factory());
        long every = properties.flushInterval().toMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ BudgetStore (hot path)

    @Override
    public Optional<Budget> budget(String workspaceId) {
        UUID workspace = WorkspaceIds.parse(workspaceId);
        if (workspace == null) {
            return Optional.empty();
        }
        Ledger ledger = ledgers.computeIfAbsent(workspace, w -> new Ledger());
        LocalDate today = today();
        if (stale(ledger, today)) {
            load(workspace, ledger, today);
        }
        synchronized (ledger) {
            return ledger.limit == null ? Optional.empty()
                    : Optional.of(new Budget(ledger.limit.usd(), ledger.snapshot.add(ledger.unseen)));
        }
    }

    @Override
    public void charge(String workspaceId, BigDecimal cost) {
        UUID workspace = WorkspaceIds.parse(workspaceId);
        if (workspace == null || cost == null || cost.signum() <= 0) {
            return;
        }
        Ledger ledger = ledgers.computeIfAbsent(workspace, w -> new Ledger());
        LocalDate today = today();
        synchronized (ledger) {
            ledger.unflushed.merge(today, cost, BigDecimal::add);
            ledger.unseen = ledger.unseen.add(cost);
        }
    }

    // ------------------------------------------------------------------ management (API)

    Optional<Limit> limit(UUID workspace) {
        return jdbc.query("SELECT limit_usd, period, updated_at FROM workspace_budgets WHERE workspace_id = ?",
                (rs, i) -> new Limit(rs.getBigDecimal(1), BudgetPeriod.parse(rs.getString(2)),
                        rs.getObject(3, OffsetDateTime.class).toInstant()), workspace).stream().findFirst();
    }

    void setLimit(UUID workspace, BigDecimal usd, BudgetPeriod period) {
        jdbc.update("""
                INSERT INTO workspace_budgets (workspace_id, limit_usd, period, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (workspace_id) DO UPDATE SET limit_usd = EXCLUDED.limit_usd, period = EXCLUDED.period,
                    updated_at = EXCLUDED.updated_at""",
                workspace, usd, period.wireName(), Timestamp.from(clock.instant()));
        invalidate(workspace);
    }

    boolean removeLimit(UUID workspace) {
        int removed = jdbc.update("DELETE FROM workspace_budgets WHERE workspace_id = ?", workspace);
        invalidate(workspace);
        return removed > 0;
    }

    /** Spend from {@code from} (a UTC day) until now: the database plus this replica's unwritten charges. */
    BigDecimal spentSince(UUID workspace, LocalDate from) {
        io.lock();
        try {
            BigDecimal stored = jdbc.queryForObject(
                    "SELECT COALESCE(sum(cost_usd), 0) FROM workspace_spend WHERE workspace_id = ? AND day >= ?",
                    BigDecimal.class, workspace, Date.valueOf(from));
            Ledger ledger = ledgers.get(workspace);
            return ledger == null ? stored : stored.add(unflushedSince(ledger, from));
        } finally {
            io.unlock();
        }
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    // ------------------------------------------------------------------ loading and flushing

    private boolean stale(Ledger ledger, LocalDate today) {
        synchronized (ledger) {
            return !ledger.loaded || clock.millis() - ledger.loadedAtMillis > refreshMillis
                    || (ledger.limit != null && !ledger.limit.period().start(today).equals(ledger.periodStart));
        }
    }

    private void load(UUID workspace, Ledger ledger, LocalDate today) {
        io.lock();
        try {
            if (!stale(ledger, today)) {
                return; // another caller loaded it while this one waited
            }
            Limit limit = limit(workspace).orElse(null);
            LocalDate start = limit == null ? null : limit.period().start(today);
            BigDecimal stored = limit == null ? BigDecimal.ZERO : jdbc.queryForObject(
                    "SELECT COALESCE(sum(cost_usd), 0) FROM workspace_spend WHERE workspace_id = ? AND day >= ?",
                    BigDecimal.class, workspace, Date.valueOf(start));
            synchronized (ledger) {
                // no flush can run now (io lock): whatever is not in `stored` is still unflushed here
                ledger.limit = limit;
                ledger.periodStart = start;
                ledger.snapshot = stored;
                ledger.unseen = start == null ? BigDecimal.ZERO : unflushedSince(ledger, start);
                ledger.loadedAtMillis = clock.millis();
                ledger.loaded = true;
            }
        } finally {
            io.unlock();
        }
    }

    private static BigDecimal unflushedSince(Ledger ledger, LocalDate from) {
        synchronized (ledger) {
            BigDecimal sum = BigDecimal.ZERO;
            for (var e : ledger.unflushed.entrySet()) {
                if (!e.getKey().isBefore(from)) {
                    sum = sum.add(e.getValue());
                }
            }
            return sum;
        }
    }

    private void invalidate(UUID workspace) {
        Ledger ledger = ledgers.get(workspace);
        if (ledger != null) {
            synchronized (ledger) {
                ledger.loaded = false;
            }
        }
    }

    private record Row(UUID workspace, LocalDate day, BigDecimal cost) {
    }

    /** Writes every unwritten charge in one transaction; on failure the charges stay for the next flush. */
    void flush() {
        io.lock();
        try {
            List<Row> rows = new ArrayList<>();
            Map<UUID, Map<LocalDate, BigDecimal>> taken = new HashMap<>();
            ledgers.forEach((workspace, ledger) -> {
                synchronized (ledger) {
                    if (!ledger.unflushed.isEmpty()) {
                        taken.put(workspace, new HashMap<>(ledger.unflushed));
                        ledger.unflushed.forEach((day, cost) -> rows.add(new Row(workspace, day, cost)));
                        ledger.unflushed.clear();
                    }
                }
            });
            if (rows.isEmpty()) {
                return;
            }
            // one lock order for every replica: no deadlocks between concurrent flushes
            rows.sort(Comparator.comparing(Row::workspace).thenComparing(Row::day));
            try {
                transactions.executeWithoutResult(status -> jdbc.batchUpdate(UPSERT_SPEND, rows, rows.size(),
                        (ps, row) -> {
                            ps.setObject(1, row.workspace());
                            ps.setDate(2, Date.valueOf(row.day()));
                            ps.setBigDecimal(3, row.cost());
                        }));
            } catch (RuntimeException e) {
                taken.forEach((workspace, days) -> {
                    Ledger ledger = ledgers.get(workspace);
                    synchronized (ledger) {
                        days.forEach((day, cost) -> ledger.unflushed.merge(day, cost, BigDecimal::add));
                    }
                });
                throw e;
            }
        } finally {
            io.unlock();
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Could not write workspace spend (kept for the next attempt): {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        flusher.shutdown();
        try {
            if (!flusher.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The spend flusher did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
