package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunService.Prepared;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.engine.RunHandle;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Executes async runs in this process: the run row is committed {@code queued} before the
 * request is answered; a virtual thread claims it (queued → running) once one of
 * {@code switchboard.runs.async-concurrency} slots is free and runs it with checkpoints.
 *
 * <p>Not yet a durable queue: runs queued or running in a process that dies are marked failed
 * ({@code interrupted}) at the next start (see {@link RunService#failInterrupted}). Shutdown stops
 * after the web server: it refuses new runs, gives in-flight ones {@code shutdown-grace} to
 * finish, then interrupts the rest, which are recorded as failed/interrupted.
 */
@Component
class AsyncRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AsyncRunner.class);

    private final WorkflowEngine engine;
    private final RunStore store;
    private final RunMetrics metrics;
    private final ActiveRuns active;
    private final Clock clock;
    private final RunProperties properties;
    private final Semaphore slots;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("run-async-", 0).factory());
    private volatile boolean running;
    private volatile boolean shuttingDown;

    AsyncRunner(WorkflowEngine engine, RunStore store, RunMetrics metrics, ActiveRuns active, Clock clock,
            RunProperties properties) {
        this.engine = engine;
        this.store = store;
        this.metrics = metrics;
        this.active = active;
        this.clock = clock;
        this.properties = properties;
        this.slots = new Semaphore(properties.asyncConcurrency());
    }

    /**
     * Writes the run as queued, then schedules it. Inside a caller's transaction (e.g. a webhook
     * that records its delivery with the run) the run is scheduled only once that commits, and
     * never if it rolls back.
     */
    void submit(Prepared prepared) {
        if (shuttingDown) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "Shutting down",
                    "This instance is shutting down; retry on another", Map.of());
        }
        store.insertUnfinished(prepared.record(), RunStatus.QUEUED, null);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    executor.execute(() -> execute(prepared));
                }
            });
        } else {
            executor.execute(() -> execute(prepared));
        }
    }

    private void execute(Prepared prepared) {
        UUID id = prepared.record().id();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            interruptQueued(prepared);
            return;
        }
        try {
            Instant now = RunRecorder.micros(clock.instant());
            if (!store.markRunning(id, prepared.record().runner(), now)) {
                return; // cancelled while queued
            }
            RunRecorder recorder = new RunRecorder(prepared.record(), store, metrics, null, true, this::shuttingDown);
            RunHandle handle = engine.start(prepared.target().graph(), prepared.request(), recorder);
            active.add(recorder, handle);
            handle.outcome().join();
        } catch (RuntimeException e) {
            log.error("Async run {} could not be executed", id, e);
            interruptQueued(prepared);
        } finally {
            slots.release();
        }
    }

    private void interruptQueued(Prepared prepared) {
        try {
            store.finish(prepared.record(), RunStatus.FAILED, null, RunRecorder.micros(clock.instant()), null,
                    RunRecorder.interrupted(), null, List.of());
        } catch (RuntimeException e) {
            log.warn("Could not mark queued run {} as interrupted: {}", prepared.record().id(), e.toString());
        }
    }

    /** queued → cancelled (in any process: the claim then fails); false when the run is not queued. */
    boolean cancelQueued(UUID runId) {
        return store.jdbc().update("UPDATE runs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'",
                RunStore.odt(RunRecorder.micros(clock.instant())), runId) == 1;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        shuttingDown = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Interrupting {} run(s) still in flight after the shutdown grace period", active.size());
                active.all().forEach(run -> run.handle().cancel());
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
            // streamed or sync runs whose clients are gone: record them as interrupted, not lost
            active.all().forEach(run -> {
                run.handle().cancel();
                run.handle().outcome().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Never paused (Spring 7 test contexts pause idle cached contexts by stopping their lifecycle
     * beans): {@link #stop()} is a one-way shutdown of the executor, for a real close only.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /** Stops after the web server (which stops at DEFAULT_PHASE - 1024), so in-flight runs get the grace period. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
