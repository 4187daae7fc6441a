package dev.switchboard.app.runs;

import dev.switchboard.app.apps.RunTargets;
import dev.switchboard.app.apps.RunTargets.RunTarget;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.runs.RunQueue.ClaimedRun;
import dev.switchboard.app.runs.RunService.Prepared;
import dev.switchboard.app.runs.RunStore.ResumeState;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.engine.RunContext;
import dev.switchboard.engine.RunHandle;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The worker of the durable run queue ({@link RunQueue}) in this process.
 *
 * <p>{@link #submit} writes an async run {@code queued} (joining the caller's transaction, so a
 * webhook's delivery record and its run commit together) and, once that commits, wakes the claimer.
 * The claimer thread claims batches of queued runs — from any replica — whenever one of
 * {@code switchboard.runs.async-concurrency} slots is free (so memory stays bounded however deep
 * the queue), and executes each on a virtual thread, resuming from its checkpoints when an earlier
 * attempt got somewhere. Idle, it polls every {@code poll-interval} for runs other replicas
 * accepted. {@link QueueMaintenance} keeps the leases alive and recovers other processes' runs.
 *
 * <p>Shutdown: {@link ClaimGate} stops claiming before the web server drains; {@link #stop} then
 * gives runs in flight {@code shutdown-grace} to finish and hands the rest back to the queue
 * (status {@code queued}, checkpoints kept) for another process — or this one after a restart.
 */
@Component
class AsyncRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AsyncRunner.class);

    private final WorkflowEngine engine;
    private final RunStore store;
    private final RunQueue queue;
    private final RunTargets targets;
    private final RunMetrics metrics;
    private final ActiveRuns active;
    private final RunAdmission admission;
    private final Clock clock;
    private final RunProperties properties;
    private final QueueProperties queueProperties;
    private final Semaphore slots;
    /** Wake-up token for the claimer: a run was queued here, a slot freed, or runs were recovered. */
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("run-async-", 0).factory());
    private volatile Thread claimer;
    private volatile boolean claiming;
    private volatile boolean running;
    private volatile boolean shuttingDown;

    AsyncRunner(WorkflowEngine engine, RunStore store, RunQueue queue, RunTargets targets, RunMetrics metrics,
            ActiveRuns active, RunAdmission admission, Clock clock, RunProperties properties,
            QueueProperties queueProperties) {
        this.engine = engine;
        this.store = store;
        this.queue = queue;
        this.targets = targets;
        this.metrics = metrics;
        this.active = active;
        this.admission = admission;
        this.clock = clock;
        this.properties = properties;
        this.queueProperties = queueProperties;
        this.slots = new Semaphore(properties.asyncConcurrency());
    }

    /**
     * Writes the run as queued; it is executed by whichever replica claims it first. Inside a
     * caller's transaction the run exists only if that commits.
     *
     * @throws ApiException 429 when the queue is full (see {@link RunAdmission}) and the run's
     *         source may be refused ({@link RunSource#refusableWhenQueueFull()})
     */
    void submit(Prepared prepared) {
        if (prepared.record().source().refusableWhenQueueFull()) {
            admission.admit();
        }
        store.insertUnfinished(prepared.record(), RunStatus.QUEUED, null, prepared.request().deadline());
        afterCommit(() -> {
            admission.accepted();
            wake();
        });
    }

    /** Wakes the claimer once the current transaction commits (at once without one). */
    void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }

    void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * While runs wait (the last claim got all it asked for), a claim waits up to this long for a few
     * slots to free up together, so a saturated worker claims in batches, not one run per statement.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private void claimLoop() {
        int batch = queueProperties.claimBatch();
        int gather = Math.min(batch, Math.max(1, properties.asyncConcurrency() / 8));
        long pollNanos = queueProperties.pollInterval().toNanos();
        boolean backlog = false;
        while (claiming) {
            int free = Math.min(slots.availablePermits(), batch);
            if (free == 0) {
                awaitWake(pollNanos);
                continue;
            }
            if (backlog && free < gather) {
                long until = System.nanoTime() + LINGER_NANOS;
                while (free < gather && claiming && System.nanoTime() < until) {
                    awaitWake(until - System.nanoTime());
                    free = Math.min(slots.availablePermits(), batch);
                }
            }
            List<ClaimedRun> claimed;
            try {
                long start = System.nanoTime();
                claimed = queue.claim(free);
                metrics.claimed(System.nanoTime() - start);
            } catch (RuntimeException e) {
                log.warn("Could not claim queued runs (retrying): {}", e.toString());
                awaitWake(pollNanos);
                continue;
            }
            admission.claimed(claimed.size());
            Instant now = clock.instant();
            for (ClaimedRun run : claimed) {
                if (run.claims() == 1) {
                    metrics.waited(Duration.between(run.record().createdAt(), now));
                }
                slots.acquireUninterruptibly();
                executor.execute(() -> execute(run));
            }
            backlog = claimed.size() == free;
            if (!backlog) {
                awaitWake(pollNanos);
            }
        }
    }

    private void awaitWake(long nanos) {
        try {
            if (wake.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
                wake.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claiming = false;
        }
    }

    private void execute(ClaimedRun claimed) {
        UUID id = claimed.record().id();
        try {
            if (claimed.cancelRequested()) {
                queue.endClaimed(id, RunStatus.CANCELLED, null);
                return;
            }
            RunRecord r = claimed.record();
            RunTarget target;
            try {
                target = targets.resolve(r.workspaceId(), r.appId(),
                        r.version() == null ? VersionSelector.DRAFT : new VersionSelector.Exact(r.version()), true);
            } catch (ApiException e) {
                queue.endClaimed(id, RunStatus.FAILED, error("app_unavailable", e.getMessage()));
                return;
            }
            ResumeState resume = claimed.resumed() ? store.resumeState(id) : ResumeState.NONE;
            RunRecord record = new RunRecord(r.id(), r.workspaceId(), r.appId(), r.version(), target.draftRevision(),
                    r.source(), r.mode(), r.inputs(), r.trigger(), r.runner(), r.apiKeyId(), r.createdAt());
            Instant deadline = claimed.deadline() != null ? claimed.deadline() : r.createdAt().plus(properties.deadline());
            RunContext context = new RunContext(id.toString(), r.workspaceId().toString(), r.appId().toString(),
                    r.source().wireName(), Map.of("mode", r.mode().wireName(), "attempt", claimed.claims()));
            RunRequest request = RunRequest.builder(context)
                    .inputs(r.inputs())
                    .trigger(r.trigger())
                    .deadline(deadline)
                    .checkpoints(resume.checkpoints())
                    .build();
            RunRecorder recorder = new RunRecorder(record, store, metrics, null, true, this::shuttingDown, deadline);
            recorder.resumeFrom(resume.trace());
            RunHandle handle = engine.start(target.graph(), request, recorder);
            active.add(recorder, handle);
            handle.outcome().join();
        } catch (RuntimeException e) {
            log.error("Async run {} could not be executed", id, e);
            try {
                queue.endClaimed(id, RunStatus.FAILED, error("internal_error", "The run could not be executed"));
            } catch (RuntimeException again) {
                log.warn("Could not record run {} as failed (its lease will expire): {}", id, again.toString());
            }
        } finally {
            admission.finished();
            slots.release();
            wake();
        }
    }

    private static Map<String, Object> error(String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        return error;
    }

    boolean shuttingDown() {
        return shuttingDown;
    }

    /** Stops claiming new runs (runs in flight go on). Idempotent. */
    void stopClaiming() {
        claiming = false;
        wake();
        Thread t = claimer;
        if (t != null) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void start() {
        claiming = true;
        running = true;
        claimer = Thread.ofPlatform().daemon().name("run-queue-claimer").start(this::claimLoop);
    }

    /**
     * Waits {@code shutdown-grace} for runs in flight (async, streamed and slow sync ones), then
     * hands the durable ones still running back to the queue; runs that were never written
     * (fast sync ones) are recorded as failed ({@code interrupted}).
     */
    @Override
    public void stop() {
        shuttingDown = true;
        stopClaiming();
        try {
            awaitAll(properties.shutdownGrace());
            List<ActiveRuns.ActiveRun> left = new ArrayList<>(active.all());
            if (!left.isEmpty()) {
                log.warn("Handing {} run(s) still in flight after the shutdown grace period back to the queue", left.size());
                List<UUID> released = new ArrayList<>();
                for (ActiveRuns.ActiveRun run : left) {
                    if (run.recorder().isDurable()) {
                        run.recorder().release();
                        released.add(run.recorder().record().id());
                    }
                    run.handle().cancel();
                }
                awaitAll(Duration.ofSeconds(10));
                int n = queue.release(released);
                metrics.recovered("released", n);
            }
        } catch (RuntimeException e) {
            log.warn("Could not hand in-flight runs back to the queue (their leases will expire): {}", e.toString());
        } finally {
            executor.shutdownNow();
            running = false;
        }
    }

    private void awaitAll(Duration timeout) {
        CompletableFuture<?>[] outcomes = active.all().stream().map(r -> r.handle().outcome()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(outcomes).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // the caller hands the rest back
        } catch (java.util.concurrent.ExecutionException e) {
            // outcomes complete normally
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** Stops after the web server (which stops at DEFAULT_PHASE - 2048), so in-flight runs get the grace period. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** Stops the claimer before the web server drains its requests (the first thing shutdown does). */
    @Component
    static class ClaimGate implements SmartLifecycle {
        private final AsyncRunner runner;
        private volatile boolean running;

        ClaimGate(AsyncRunner runner) {
            this.runner = runner;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            runner.stopClaiming();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        /** Never paused (Spring 7 pauses idle test contexts by stopping lifecycle beans): stop is for a real close. */
        @Override
        public boolean isPauseable() {
            return false;
        }

        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 512;
        }
    }
}
