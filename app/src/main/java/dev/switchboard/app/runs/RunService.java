package dev.switchboard.app.runs;

import dev.switchboard.app.apps.RunTargets;
import dev.switchboard.app.apps.RunTargets.RunTarget;
import dev.switchboard.app.apps.RunTargets.VersionSelector;
import dev.switchboard.app.runs.RunViews.RunAccepted;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.support.Ids;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.app.web.FieldProblem;
import dev.switchboard.engine.InputCheck;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunContext;
import dev.switchboard.engine.RunHandle;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.WorkflowEngine;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Starts runs for every trigger and answers run queries. Entry points for later features:
 * {@link #runSync}, {@link #runAsync} and {@link #runStreaming} with a {@link RunStart} naming
 * the trigger ({@link RunSource}) and its data.
 *
 * <p>Every run ends in exactly one final state and is recorded before its result is returned
 * (see {@link RunRecorder}). Bad inputs are refused (422) before any row is written.
 */
@Service
public class RunService {

    private static final Logger log = LoggerFactory.getLogger(RunService.class);

    private final RunTargets targets;
    private final WorkflowEngine engine;
    private final RunStore store;
    private final RunMetrics metrics;
    private final ActiveRuns active;
    private final AsyncRunner async;
    private final Ids ids;
    private final Clock clock;
    private final RunProperties properties;
    private final String runner;
    private final List<RunDeliveries> deliveries;
    private final RunQueue queue;

    RunService(RunTargets targets, WorkflowEngine engine, RunStore store, RunMetrics metrics, ActiveRuns active,
            AsyncRunner async, Ids ids, Clock clock, RunProperties properties, InstanceId instanceId,
            List<RunDeliveries> deliveries, RunQueue queue) {
        this.queue = queue;
        this.targets = targets;
        this.engine = engine;
        this.store = store;
        this.metrics = metrics;
        this.active = active;
        this.async = async;
        this.ids = ids;
        this.clock = clock;
        this.properties = properties;
        this.runner = instanceId.value();
        this.deliveries = List.copyOf(deliveries);
    }

    /** A run ready to start: its record (inputs checked and defaulted), the graph and the engine request. */
    record Prepared(RunRecord record, RunTarget target, RunRequest request) {
    }

    /** Runs to the end and returns the recorded run (any final state, or {@code waiting_review}). */
    public RunView runSync(RunStart start) {
        Prepared prepared = prepare(start, RunMode.SYNC);
        RunRecorder recorder = new RunRecorder(prepared.record(), store, metrics, null, false, async::shuttingDown,
                prepared.request().deadline());
        RunHandle handle = engine.start(prepared.target().graph(), prepared.request(), recorder);
        active.add(recorder, handle);
        awaitSync(handle, recorder);
        if (!recorder.recorded()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "run-not-recorded", "Run not recorded",
                    "The run finished but its result could not be stored; it is not reported as done",
                    Map.of("runId", prepared.record().id()));
        }
        return recorder.finished();
    }

    private void awaitSync(RunHandle handle, RunRecorder recorder) {
        try {
            try {
                handle.await(properties.syncPersistAfter());
            } catch (TimeoutException slow) {
                try {
                    recorder.makeDurable();
                } catch (RuntimeException e) {
                    log.warn("Could not record slow run {} as running: {}", handle.runId(), e.toString());
                }
                handle.outcome().get();
            }
        } catch (InterruptedException e) {
            handle.cancel();
            handle.outcome().join();
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the engine completes outcomes normally", e);
        }
    }

    /**
     * Accepts the run: written {@code queued} (in the caller's transaction, if any) and executed in
     * the background by whichever replica claims it; it survives crashes and restarts.
     *
     * @throws ApiException 422 for bad inputs, 404 for an unknown app/version, 429 when the queue is full
     */
    public RunAccepted runAsync(RunStart start) {
        Prepared prepared = prepare(start, RunMode.ASYNC);
        async.submit(prepared);
        RunRecord r = prepared.record();
        return new RunAccepted(r.id(), r.appId(), r.version(), RunStatus.QUEUED.wireName(), r.createdAt());
    }

    /**
     * Starts a run whose events go to {@code sink}: first the run (row written, {@code running}),
     * then node events and tokens, then {@link RunEventSink#done}.
     */
    public RunAccepted runStreaming(RunStart start, RunEventSink sink) {
        Prepared prepared = prepare(start, RunMode.STREAM);
        RunRecord r = prepared.record();
        Instant now = RunRecorder.micros(clock.instant());
        store.insertUnfinished(r, RunStatus.RUNNING, now, prepared.request().deadline());
        RunAccepted accepted = new RunAccepted(r.id(), r.appId(), r.version(), RunStatus.RUNNING.wireName(), r.createdAt());
        sink.event("run", accepted);
        RunRecorder recorder = new RunRecorder(r, store, metrics, sink, true, async::shuttingDown,
                prepared.request().deadline());
        RunHandle handle = engine.start(prepared.target().graph(), prepared.request(), recorder);
        active.add(recorder, handle);
        return accepted;
    }

    /** A run of the workspace with its trace and deliveries; a run executing here shows its live trace. */
    public RunView get(UUID workspaceId, UUID runId) {
        RunView run = getWithoutDeliveries(workspaceId, runId);
        if (deliveries.isEmpty()) {
            return run;
        }
        List<RunViews.DeliveryView> made = new java.util.ArrayList<>();
        deliveries.forEach(d -> made.addAll(d.forRun(runId)));
        return made.isEmpty() ? run : run.withDeliveries(made);
    }

    private RunView getWithoutDeliveries(UUID workspaceId, UUID runId) {
        var stored = store.find(workspaceId, runId);
        var live = active.find(workspaceId, runId);
        if (stored.isPresent()) {
            RunView run = stored.get();
            if (live.isPresent() && !RunStatus.fromWireName(run.status()).isFinal()) {
                return RunStore.withTrace(run, live.get().recorder().snapshot().trace());
            }
            return run;
        }
        return live.map(a -> a.recorder().snapshot()).orElseThrow(() -> ApiException.notFound("run", runId));
    }

    /**
     * Cancels a run. One executing here is interrupted and ends {@code cancelled} with its trace; a
     * queued (or waiting) one is cancelled in place; one executing in another replica gets a cancel
     * request that its process applies within a few poll intervals — this waits up to
     * {@code cancelWait} for that and returns the run as it then stands.
     *
     * @throws ApiException 409 when the run already ended, 404 when unknown
     */
    public RunView cancel(UUID workspaceId, UUID runId) {
        var live = active.find(workspaceId, runId);
        if (live.isPresent()) {
            live.get().handle().cancel();
            live.get().handle().outcome().join();
            return get(workspaceId, runId);
        }
        var after = queue.requestCancel(workspaceId, runId, RunRecorder.micros(clock.instant()));
        if (after.isEmpty()) {
            RunView run = get(workspaceId, runId); // 404 when unknown
            throw ApiException.conflict("The run already ended as '" + run.status() + "'").with("runId", runId);
        }
        if (after.get() == RunStatus.RUNNING) {
            Instant until = clock.instant().plus(CANCEL_WAIT);
            RunView run = get(workspaceId, runId);
            while (!RunStatus.fromWireName(run.status()).isFinal() && clock.instant().isBefore(until)) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                run = get(workspaceId, runId);
            }
            return run;
        }
        return get(workspaceId, runId);
    }

    /** How long a cancel of a run executing in another replica waits for it to stop. */
    private static final java.time.Duration CANCEL_WAIT = java.time.Duration.ofSeconds(5);

    public String runner() {
        return runner;
    }

    private java.time.Duration timeout(RunStart start) {
        if (start.timeout() == null) {
            return properties.deadline();
        }
        if (start.timeout().compareTo(properties.maxDeadline()) > 0) {
            throw ApiException.invalidFields("The request is invalid", List.of(new FieldProblem("timeout", "too_long",
                    "timeout must be at most " + properties.maxDeadline() + " (switchboard.runs.max-deadline)")));
        }
        return start.timeout();
    }

    /** A run ready to continue after a review: see {@link #planResume} and {@link #resume}. */
    public record ResumePlan(RunRecord record, RunTarget target, RunRequest request, List<NodeTrace> earlier) {
    }

    /**
     * Prepares to continue a run whose review was decided: loads it, resolves its graph (the same
     * published version; for a draft run, the current draft) and builds a request with the stored
     * checkpoints plus {@code decided} as the reviewed node's result. Call it in the decision's
     * transaction after {@link RunStore#claimWaiting}, so a missing app rolls the decision back.
     *
     * @throws ApiException 404 when the run, its app or its version no longer exists
     */
    public ResumePlan planResume(UUID runId, String nodeId, NodeResult decided) {
        RunStore.StoredRun stored = store.load(runId).orElseThrow(() -> ApiException.notFound("run", runId));
        RunRecord r = stored.record();
        RunTarget target = targets.resolve(r.workspaceId(), r.appId(),
                r.version() == null ? VersionSelector.DRAFT : new VersionSelector.Exact(r.version()), true);
        Map<String, NodeResult> checkpoints = new LinkedHashMap<>();
        List<NodeTrace> earlier = new ArrayList<>();
        for (NodeTrace t : stored.trace()) {
            if (t.nodeId().equals(nodeId)) {
                t = new NodeTrace(t.nodeId(), t.seq(), t.type(), "succeeded", t.attempts(), t.inputs(), decided.outputs(),
                        t.usage(), null, t.startedAt(), t.latencyMs(), decided);
                // the decision is a checkpoint, in the decision's transaction: if this process dies
                // before the run ends, the run resumes elsewhere past the review (see RunQueue)
                store.saveNodes(runId, List.of(t), false);
            }
            if (t.checkpoint() != null) {
                checkpoints.put(t.nodeId(), t.checkpoint());
            }
            earlier.add(t);
        }
        checkpoints.put(nodeId, decided);
        RunRecord record = new RunRecord(r.id(), r.workspaceId(), r.appId(), r.version(), r.draftRevision(), r.source(),
                r.mode(), r.inputs(), r.trigger(), runner, r.apiKeyId(), r.createdAt());
        RunContext context = new RunContext(r.id().toString(), r.workspaceId().toString(), r.appId().toString(),
                r.source().wireName(), Map.of("mode", r.mode().wireName(), "resumed", true));
        RunRequest request = RunRequest.builder(context)
                .inputs(r.inputs())
                .trigger(r.trigger())
                .deadline(RunRecorder.micros(clock.instant()).plus(properties.deadline()))
                .checkpoints(checkpoints)
                .build();
        return new ResumePlan(record, target, request, earlier);
    }

    /**
     * Continues a planned run in the background (the decision committed): the engine skips the
     * checkpointed nodes, and the trace keeps them. The run ends in a final state or waits again.
     */
    public void resume(ResumePlan plan) {
        RunRecorder recorder = new RunRecorder(plan.record(), store, metrics, null, true, async::shuttingDown);
        recorder.seed(plan.earlier());
        RunHandle handle = engine.start(plan.target().graph(), plan.request(), recorder);
        active.add(recorder, handle);
    }

    Prepared prepare(RunStart start, RunMode mode) {
        RunTarget target = targets.resolve(start.workspaceId(), start.appId(), start.version(), start.allowDraft());
        InputCheck check = target.graph().prepareInputs(start.inputs());
        if (!check.valid()) {
            List<FieldProblem> errors = check.problems().stream()
                    .map(p -> new FieldProblem(p.field() == null ? "inputs" : "inputs." + p.field(), p.code(), p.message()))
                    .toList();
            throw ApiException.invalidFields("The run inputs are invalid", errors);
        }
        UUID id = ids.next();
        Instant now = RunRecorder.micros(clock.instant());
        RunRecord record = new RunRecord(id, start.workspaceId(), start.appId(), target.version(), target.draftRevision(),
                start.source(), mode, check.values(), start.trigger(), runner, start.apiKeyId(), now);
        RunContext context = new RunContext(id.toString(), start.workspaceId().toString(), start.appId().toString(),
                start.source().wireName(), Map.of("mode", mode.wireName()));
        RunRequest request = RunRequest.builder(context)
                .inputs(check.values())
                .trigger(start.trigger())
                .deadline(now.plus(timeout(start)))
                .streamTokens(mode == RunMode.STREAM)
                .build();
        return new Prepared(record, target, request);
    }
}
