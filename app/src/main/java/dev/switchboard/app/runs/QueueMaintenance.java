package dev.switchboard.app.runs;

import dev.switchboard.app.db.EmbeddedPostgresServer;
import dev.switchboard.engine.RunStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The background duties of every replica towards the shared queue, on one scheduler thread:
 *
 * <ul>
 *   <li>at start, before anything is claimed: runs a crash of this instance left {@code running}
 *       are recovered at once (all of them with the embedded database, which only this process uses);</li>
 *   <li>every {@code heartbeat}: the leases of the runs executing here are extended in one
 *       statement; a run whose lease another process took over is stopped here without writing;</li>
 *   <li>every 4 × {@code poll-interval}: cancel requests made through other replicas are applied;</li>
 *   <li>every {@code reaper-interval}: runs past their deadline end {@code timed_out}; runs whose
 *       lease expired are re-queued (or failed as poison runs);</li>
 *   <li>every {@code poll-interval}: the queue depth is counted for backpressure.</li>
 * </ul>
 *
 * Starts before and stops after {@link AsyncRunner}, so leases outlive the runs they cover.
 */
@Component
class QueueMaintenance implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QueueMaintenance.class);

    private final RunQueue queue;
    private final ActiveRuns active;
    private final AsyncRunner runner;
    private final RunAdmission admission;
    private final RunMetrics metrics;
    private final QueueProperties properties;
    private final ObjectProvider<EmbeddedPostgresServer> embedded;
    private volatile ScheduledExecutorService scheduler;

    QueueMaintenance(RunQueue queue, ActiveRuns active, AsyncRunner runner, RunAdmission admission, RunMetrics metrics,
            QueueProperties properties, ObjectProvider<EmbeddedPostgresServer> embedded) {
        this.queue = queue;
        this.active = active;
        this.runner = runner;
        this.admission = admission;
        this.metrics = metrics;
        this.properties = properties;
        this.embedded = embedded;
    }

    @Override
    public void start() {
        recoverAtStart();
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("run-queue-maintenance").factory());
        every(s, properties.heartbeat().toMillis(), this::heartbeat);
        every(s, properties.pollInterval().toMillis() * 4, this::applyCancelRequests);
        every(s, properties.reaperInterval().toMillis(), this::reap);
        every(s, properties.pollInterval().toMillis(), () -> admission.count(queue::depth));
        scheduler = s;
    }

    private static void every(ScheduledExecutorService s, long millis, Runnable task) {
        s.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Run queue maintenance failed (retrying): {}", e.toString());
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void recoverAtStart() {
        Map<UUID, RunStatus> recovered = queue.recoverOwn(embedded.getIfAvailable() != null);
        if (!recovered.isEmpty()) {
            log.warn("Recovered {} run(s) an earlier stop of this instance left running: {}", recovered.size(),
                    summary(recovered));
            count(recovered);
        }
    }

    /** Extends this process's leases; stops runs whose lease another process holds now. */
    void heartbeat() {
        List<UUID> ids = new ArrayList<>();
        for (ActiveRuns.ActiveRun run : active.all()) {
            if (run.recorder().isDurable() && !run.handle().isDone()) {
                ids.add(run.recorder().record().id());
            }
        }
        Map<UUID, Boolean> leased = queue.heartbeat(ids);
        leased.forEach((id, cancel) -> {
            if (cancel) {
                cancelHere(id);
            }
        });
        List<UUID> missing = ids.stream().filter(id -> !leased.containsKey(id)).toList();
        for (UUID id : queue.lost(missing)) {
            // a run that ended here between collecting the ids and the heartbeat is not lost: its
            // recorder has written its end (isDurable waits for that write and is false after it)
            active.get(id).filter(r -> !r.handle().isDone() && r.recorder().isDurable()).ifPresent(run -> {
                log.warn("Run {} was taken over by another process (its lease expired); stopping it here", id);
                run.recorder().release();
                run.handle().cancel();
            });
        }
    }

    private void applyCancelRequests() {
        queue.cancelRequested().forEach(this::cancelHere);
    }

    private void cancelHere(UUID runId) {
        active.get(runId).ifPresent(run -> run.handle().cancel());
    }

    /** Deadlines first (a dead process's run past its deadline ends timed_out, not queued), then leases. */
    void reap() {
        int timedOut = queue.timeOutExpired(properties.lease());
        if (timedOut > 0) {
            log.info("{} run(s) passed their deadline and ended timed_out", timedOut);
            metrics.recovered("timed_out", timedOut);
        }
        Map<UUID, RunStatus> recovered = queue.recoverExpired();
        if (!recovered.isEmpty()) {
            log.warn("Recovered {} run(s) whose process stopped renewing its lease: {}", recovered.size(), summary(recovered));
            count(recovered);
            runner.wake();
        }
    }

    private void count(Map<UUID, RunStatus> recovered) {
        recovered.values().stream().map(RunStatus::wireName).distinct().forEach(status ->
                metrics.recovered(status, (int) recovered.values().stream().filter(s -> s.wireName().equals(status)).count()));
    }

    private static String summary(Map<UUID, RunStatus> recovered) {
        Map<RunStatus, Long> byStatus = new java.util.EnumMap<>(RunStatus.class);
        recovered.values().forEach(s -> byStatus.merge(s, 1L, Long::sum));
        return byStatus.toString();
    }

    @Override
    public void stop() {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
        }
        scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** Never paused (Spring 7 pauses idle test contexts by stopping lifecycle beans): stop is for a real close. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 8192;
    }
}
