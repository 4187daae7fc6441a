package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.NodeTraceView;
import dev.switchboard.app.runs.RunViews.RunView;
import dev.switchboard.app.runs.RunViews.UsageView;
import dev.switchboard.engine.ModelUsage;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunError;
import dev.switchboard.engine.RunEvent;
import dev.switchboard.engine.RunListener;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RunListener} that persists a run: it keeps the trace in memory and, once the run is
 * <em>durable</em> (its row exists: async and streamed runs from the start, sync runs once they
 * outlast {@code switchboard.runs.sync-persist-after}), checkpoints finished nodes.
 *
 * <p>Which checkpoint writes durability needs. Pure nodes ({@link #PURE_KINDS}: input, transform,
 * condition, output) are deterministic given their upstream results and have no side effects:
 * re-running them on resume is free and changes nothing, so they are never written on their own.
 * Every other node (a model call, a webhook, an SMS, a review...) costs time or money or acts on
 * the world when re-run, so its result must be durable
 * <ul>
 *   <li>before the next such node <em>starts</em> — so whatever that node does (post a webhook,
 *       send an SMS) is based on results a resume will reuse, never on a model answer that a
 *       resume would draw again; and</li>
 *   <li>at once, if other nodes are still in flight when it finishes — so a finished model call
 *       is not lost while a slow branch goes on.</li>
 * </ul>
 * Otherwise it rides along with the next write: when only pure nodes follow, that is the final
 * write, one statement for the whole run. A write carries every node finished so far that is not
 * yet stored, in one statement, so the stored checkpoints are always closed under "finished
 * before", which the engine's resume needs. (A crash between such a node's end and the run's end
 * — microseconds of pure work — costs re-running that node, nothing else.)
 *
 * <p>At the end it writes the final state and the whole trace in one statement
 * ({@link RunStore#finish}) <em>before</em> the engine completes the run's outcome, so whoever
 * waits on the outcome finds the run recorded. Then it tells the optional {@link RunEventSink}.
 *
 * <p>Thread-safety: the engine never calls a listener concurrently for one run; the lock guards
 * against {@link #makeDurable()} and {@link #snapshot()} from other threads.
 */
final class RunRecorder implements RunListener {

    private static final Logger log = LoggerFactory.getLogger(RunRecorder.class);

    /** Deterministic, side-effect-free node kinds: re-running them on resume gives the same result. */
    static final java.util.Set<String> PURE_KINDS = java.util.Set.of("input", "transform", "condition", "output");

    private final RunRecord run;
    private final RunStore store;
    private final RunMetrics metrics;
    private final RunEventSink sink;
    private final BooleanSupplier shuttingDown;
    private final java.time.Instant deadline;
    private final Map<String, NodeState> nodes = new LinkedHashMap<>();
    /** Finished nodes of a durable run not yet written as checkpoints (pure ones waiting for the next write). */
    private final List<NodeState> unsaved = new ArrayList<>();
    private boolean released;
    private boolean durable;
    private int nextSeq;
    private Instant startedAt;
    private RunView finished;
    private boolean recorded;
    private boolean counted;

    RunRecorder(RunRecord run, RunStore store, RunMetrics metrics, RunEventSink sink, boolean durable,
            BooleanSupplier shuttingDown) {
        this(run, store, metrics, sink, durable, shuttingDown, null);
    }

    /** @param deadline the run's deadline, written with the row when a sync run becomes durable (null: none) */
    RunRecorder(RunRecord run, RunStore store, RunMetrics metrics, RunEventSink sink, boolean durable,
            BooleanSupplier shuttingDown, java.time.Instant deadline) {
        this.deadline = deadline;
        this.run = run;
        this.store = store;
        this.metrics = metrics;
        this.sink = sink == null ? RunEventSink.NONE : sink;
        this.durable = durable;
        this.shuttingDown = shuttingDown;
    }

    /** Mutable per-node state; only touched under the recorder's lock. */
    private static final class NodeState {
        final String nodeId;
        final String type;
        final int seq;
        final Instant startedAt;
        final Map<String, Object> inputs;
        String status = "running";
        int attempts = 1;
        Map<String, Object> outputs;
        UsageView usage;
        Map<String, Object> error;
        Double latencyMs;
        NodeResult checkpoint;

        NodeState(String nodeId, String type, int seq, Instant startedAt, Map<String, Object> inputs) {
            this.nodeId = nodeId;
            this.type = type;
            this.seq = seq;
            this.startedAt = startedAt;
            this.inputs = inputs;
        }

        /** A node that finished in an earlier attempt of the run (resume after review). */
        static NodeState of(NodeTrace t) {
            NodeState n = new NodeState(t.nodeId(), t.type(), t.seq(), t.startedAt(), t.inputs());
            n.status = t.status();
            n.attempts = t.attempts();
            n.outputs = t.outputs();
            n.usage = t.usage();
            n.error = t.error();
            n.latencyMs = t.latencyMs();
            n.checkpoint = t.checkpoint();
            return n;
        }

        NodeTrace trace() {
            return new NodeTrace(nodeId, seq, type, status, attempts, inputs, outputs, usage, error, startedAt, latencyMs,
                    checkpoint);
        }

        NodeTraceView view() {
            return new NodeTraceView(nodeId, type, status, inputs, outputs, startedAt, latencyMs, attempts, usage, error);
        }
    }

    @Override
    public synchronized void onRunStarted(RunEvent.RunStarted e) {
        startedAt = micros(e.at());
        metrics.runStarted();
        counted = true;
    }

    @Override
    public synchronized void onNodeStarted(RunEvent.NodeStarted e) {
        if (durable && !released && !PURE_KINDS.contains(e.type())
                && unsaved.stream().anyMatch(n -> !PURE_KINDS.contains(n.type))) {
            saveUnsaved(); // this node may act on the world: what it sees must survive a crash
        }
        NodeState node = new NodeState(e.nodeId(), e.type(), nextSeq++, micros(e.at()), e.inputs());
        nodes.put(e.nodeId(), node);
        sink.event("node", node.view());
    }

    @Override
    public synchronized void onNodeFailed(RunEvent.NodeFailed e) {
        NodeState node = node(e.nodeId(), e.type(), e.at());
        node.attempts = e.attempt();
        node.error = error(e.error());
        switch (e.action()) {
            case FAIL_RUN -> finishNode(node, "failed", e.latency());
            case CANCELLED -> finishNode(node, "cancelled", e.latency());
            case RETRY, FOLLOW_ERROR_EDGE, USE_DEFAULT -> sink.event("node", node.view());
        }
    }

    @Override
    public synchronized void onNodeFinished(RunEvent.NodeFinished e) {
        NodeState node = node(e.nodeId(), e.type(), e.at());
        node.attempts = e.attempts();
        node.outputs = e.outputs();
        node.checkpoint = e.result();
        node.error = e.error() == null ? null : error(e.error());
        if (e.usage() != null) {
            node.usage = usage(e.usage());
            metrics.tokens(node.usage.model(), e.usage().tokens().input(), e.usage().tokens().output());
        }
        finishNode(node, e.status().wireName(), e.latency());
    }

    @Override
    public synchronized void onNodeSkipped(RunEvent.NodeSkipped e) {
        NodeState node = new NodeState(e.nodeId(), e.type(), nextSeq++, null, null);
        node.status = "skipped";
        node.attempts = 0;
        nodes.put(e.nodeId(), node);
        sink.event("node", node.view());
    }

    @Override
    public synchronized void onTokenDelta(RunEvent.TokenDelta e) {
        sink.event("token", Map.of("nodeId", e.nodeId(), "text", e.text()));
    }

    private void finishNode(NodeState node, String status, Duration latency) {
        node.status = status;
        node.latencyMs = latency == null ? null : latency.toNanos() / 1e6;
        if (latency != null) {
            metrics.node(node.type, status, latency);
        }
        if (durable && !released) {
            unsaved.add(node);
            if (!PURE_KINDS.contains(node.type) && nodes.values().stream().anyMatch(n -> n.status.equals("running"))) {
                saveUnsaved(); // a branch goes on: keep this result safe meanwhile
            }
        }
        sink.event("node", node.view());
    }

    private void saveUnsaved() {
        try {
            store.saveNodes(run.id(), unsaved.stream().map(NodeState::trace).toList());
            unsaved.clear();
        } catch (RuntimeException ex) {
            // kept for the next write; the final write carries the whole trace again, and a lost
            // checkpoint only costs a re-run on resume
            log.warn("Could not checkpoint nodes of run {}: {}", run.id(), ex.toString());
        }
    }

    @Override
    public synchronized void onRunFinished(RunEvent.RunFinished e) {
        RunOutcome outcome = e.outcome();
        RunStatus status = outcome.status();
        if (released) {
            // handed back to the queue at shutdown: another process continues from the checkpoints
            finished = view(RunStatus.QUEUED.wireName(), null, null, null, startedAt, null);
            sink.done(finished, false);
            return;
        }
        Map<String, Object> error = outcome.error() == null ? null : error(outcome.error());
        if (status == RunStatus.CANCELLED && shuttingDown.getAsBoolean()) {
            status = RunStatus.FAILED;
            error = interrupted();
        }
        Instant finishedAt = micros(outcome.finishedAt());
        Instant started = startedAt != null ? startedAt : micros(outcome.startedAt());
        for (NodeState node : nodes.values()) {
            if (node.status.equals("running")) {
                node.status = "cancelled"; // in flight when the run ended
            }
        }
        UsageView usage = runUsage(outcome);
        List<NodeTrace> trace = new ArrayList<>(nodes.size());
        nodes.values().forEach(n -> trace.add(n.trace()));
        try {
            if (durable) {
                recorded = store.finish(run, status, started, finishedAt, outcome.outputs(), error, usage, trace);
            } else {
                store.insertFinished(run, status, started, finishedAt, outcome.outputs(), error, usage, trace);
                recorded = true;
            }
            if (!recorded) {
                log.info("Run {} had already ended elsewhere; its {} outcome was not recorded", run.id(), status.wireName());
            }
        } catch (RuntimeException ex) {
            log.error("Could not record the end of run {}", run.id(), ex);
        }
        if (counted) {
            metrics.runEnded(status.wireName(), run.source(), run.mode());
        }
        finished = view(status.wireName(), outcome.outputs(), error, usage, started, finishedAt);
        sink.done(finished, recorded);
    }

    /**
     * Starts the trace with the nodes of an earlier attempt of this run (a run resumed after a
     * review), so the final trace holds every node, not only those run after the resume. Call
     * before the engine starts.
     */
    synchronized void seed(List<NodeTrace> earlier) {
        for (NodeTrace t : earlier) {
            nodes.put(t.nodeId(), NodeState.of(t));
            nextSeq = Math.max(nextSeq, t.seq() + 1);
        }
    }

    /**
     * Writes the run row (RUNNING) and the nodes finished so far, so a slow sync run is visible
     * and recoverable while it runs; from then on nodes are checkpointed. No-op once finished.
     */
    synchronized void makeDurable() {
        if (durable || finished != null) {
            return;
        }
        store.insertUnfinished(run, RunStatus.RUNNING, startedAt, deadline);
        List<NodeTrace> done = nodes.values().stream().filter(n -> !n.status.equals("running")).map(NodeState::trace).toList();
        store.saveNodes(run.id(), done);
        durable = true;
    }

    /**
     * Starts the trace with what an earlier attempt of this run recorded (a run resumed from the
     * queue or after a review), so the final trace holds every node. Call before the engine starts.
     */
    synchronized void resumeFrom(List<NodeTrace> earlier) {
        seed(earlier);
    }

    /**
     * The run is being handed back to the queue (shutdown after the grace period, or its lease was
     * taken over): from now on nothing of it is written, so the process that continues it owns it.
     */
    synchronized void release() {
        released = true;
    }

    synchronized boolean isDurable() {
        return durable && finished == null;
    }

    /** The final view, or null while running. */
    synchronized RunView finished() {
        return finished;
    }

    /** True when the final state was written (false: not yet, or the write failed or was refused). */
    synchronized boolean recorded() {
        return recorded;
    }

    /** The run as it stands now (live trace), for GET of a run executing in this process. */
    synchronized RunView snapshot() {
        return finished != null ? finished : view(RunStatus.RUNNING.wireName(), null, null, null, startedAt, null);
    }

    RunRecord record() {
        return run;
    }

    private RunView view(String status, Map<String, Object> outputs, Map<String, Object> error, UsageView usage,
            Instant started, Instant finishedAt) {
        List<NodeTraceView> trace = new ArrayList<>(nodes.size());
        nodes.values().forEach(n -> trace.add(n.view()));
        return new RunView(run.id(), run.appId(), run.version(), run.version() == null ? run.draftRevision() : null,
                status, run.source().wireName(), run.mode().wireName(), run.inputs(),
                run.trigger().isEmpty() ? null : run.trigger(), outputs, error, usage,
                run.createdAt(), started, finishedAt, RunStore.latencyMs(started, finishedAt), trace);
    }

    private NodeState node(String nodeId, String type, Instant at) {
        NodeState node = nodes.get(nodeId);
        if (node == null) { // an event without NodeStarted (should not happen): keep it anyway
            node = new NodeState(nodeId, type, nextSeq++, micros(at), null);
            nodes.put(nodeId, node);
        }
        return node;
    }

    static Map<String, Object> interrupted() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", "interrupted");
        error.put("message", "The app stopped while this run was in progress");
        return error;
    }

    private static Map<String, Object> error(NodeError e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", e.type());
        error.put("message", e.message());
        error.put("retriable", e.retriable());
        return error;
    }

    private static Map<String, Object> error(RunError e) {
        Map<String, Object> error = new LinkedHashMap<>();
        if (e.nodeId() != null) {
            error.put("nodeId", e.nodeId());
        }
        error.put("type", e.type());
        error.put("message", e.message());
        return error;
    }

    private static UsageView usage(ModelUsage u) {
        TokenUsage t = u.tokens();
        String model = u.provider() == null ? u.model() : u.provider() + "/" + u.model();
        return new UsageView(t.input(), t.output(), t.total(), t.estimated(), u.cost(), model);
    }

    private static UsageView runUsage(RunOutcome outcome) {
        TokenUsage t = outcome.usage();
        if (t.total() == 0 && outcome.cost() == null) {
            return null;
        }
        return new UsageView(t.input(), t.output(), t.total(), t.estimated(), outcome.cost(), null);
    }

    static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
