package dev.switchboard.engine.internal;

import dev.switchboard.engine.EdgeDefinition;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunError;
import dev.switchboard.engine.RunEvent;
import dev.switchboard.engine.RunHandle;
import dev.switchboard.engine.RunListener;
import dev.switchboard.engine.RunOutcome;
import dev.switchboard.engine.RunRequest;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.Suspension;
import dev.switchboard.engine.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run. A single coordinator thread owns the scheduling state (pending edge counts, ready
 * queue); nodes run inline on the coordinator when exactly one is ready and nothing is in flight,
 * otherwise each ready node gets its own virtual thread and reports back through a queue.
 *
 * <p>Skip rule: a node is decided once all its incoming edges are resolved; it runs when at least
 * one of them was taken, else it is skipped (and its own edges count as not taken). An edge is
 * taken when its source completed and the edge is unlabelled or its label equals the source's
 * branch; {@code error} edges are taken only when the source failed with {@code onError: edge}.
 *
 * <p>Ending: abort (cancel, deadline, a failing/blocking node) is first-wins; in-flight attempts
 * are interrupted, the coordinator waits for them, and a watchdog reports the run finished after
 * {@code cancelGrace} if some node ignores the interrupt. The outcome is produced exactly once.
 */
final class RunExecution implements RunHandle {

    private static final Logger LOG = LoggerFactory.getLogger(RunExecution.class);

    private static final byte PENDING = 0;
    private static final byte READY = 1;
    private static final byte RUNNING = 2;
    private static final byte DONE = 3;
    private static final byte SKIPPED = 4;
    private static final byte STOPPED = 5;

    private static final Object WAKE = new Object();

    private record Abort(RunStatus status, RunError error) {
    }

    final DefaultWorkflowEngine engine;
    final CompiledGraphImpl graph;
    final RunRequest request;
    final String runId;
    final EventSink events;
    final RunScope scope;
    private final Map<String, NodeResult> results = new ConcurrentHashMap<>();
    private final AtomicReference<Abort> abort = new AtomicReference<>();
    private final Set<AttemptGuard> active = ConcurrentHashMap.newKeySet();
    private final List<Suspension> suspensions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final NodeRunner runner = new NodeRunner(this);
    private LinkedBlockingQueue<Object> completions;
    private volatile boolean interruptedFromOutside;
    private volatile TimeoutTicker.Timer deadlineTimer;
    private TokenUsage usage = TokenUsage.ZERO;
    private BigDecimal cost;
    private Instant startedAt;

    // coordinator-only state
    private final int[] pending;
    private final boolean[] anyTaken;
    private final byte[] state;
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private int inflight;

    RunExecution(DefaultWorkflowEngine engine, CompiledGraphImpl graph, RunRequest request, RunListener listener) {
        this.engine = engine;
        this.graph = graph;
        this.request = request;
        this.runId = request.runId();
        this.events = new EventSink(listener == null ? RunListener.NOOP : listener);
        this.scope = new RunScope(graph.nodes, request.trigger());
        int n = graph.nodes.length;
        this.pending = new int[n];
        this.anyTaken = new boolean[n];
        this.state = new byte[n];
    }

    /** Runs the whole graph on the calling thread (the coordinator). Never throws. */
    void coordinate() {
        try {
            startedAt = engine.clock.instant();
            engine.started(this);
            events.emit(new RunEvent.RunStarted(runId, startedAt, request.inputs(), resumedIds()));
            scheduleDeadline();
            for (CompiledNode n : graph.nodes) {
                pending[n.index] = n.inDegree;
            }
            applyCheckpoints();
            if (state[graph.inputIndex] == PENDING) {
                markReady(graph.inputIndex);
            }
            loop();
        } catch (Throwable t) {
            LOG.error("run {}: engine failure", runId, t);
            abort(RunStatus.FAILED, new RunError(null, "internal_error", "The workflow engine failed: " + t.getClass().getSimpleName()));
        } finally {
            finish(false);
        }
    }

    private void loop() throws InterruptedException {
        while (true) {
            if (abort.get() == null) {
                if (inflight == 0 && ready.size() == 1) {
                    int i = ready.poll();
                    state[i] = RUNNING;
                    handle(runSafely(i));
                    continue;
                }
                while (!ready.isEmpty()) {
                    fork(ready.poll());
                }
            }
            if (inflight == 0) {
                return;
            }
            Object message;
            try {
                message = completions.take();
            } catch (InterruptedException e) {
                interruptedFromOutside();
                continue;
            }
            if (message instanceof NodeRunner.Completion c) {
                inflight--;
                handle(c);
            }
        }
    }

    private void fork(int index) {
        if (completions == null) {
            completions = new LinkedBlockingQueue<>();
        }
        state[index] = RUNNING;
        inflight++;
        LinkedBlockingQueue<Object> queue = completions;
        engine.virtualThreads.newThread(() -> queue.add(runSafely(index))).start();
    }

    private NodeRunner.Completion runSafely(int index) {
        try {
            return runner.run(graph.nodes[index]);
        } catch (Throwable t) {
            LOG.error("run {}: node {} crashed the runner", runId, graph.nodes[index].id, t);
            return new NodeRunner.Completion(index, NodeRunner.Kind.FATAL, null,
                    NodeError.permanent("internal_error", "The workflow engine failed while running this node."));
        }
    }

    private void handle(NodeRunner.Completion c) {
        CompiledNode n = graph.nodes[c.index()];
        switch (c.kind()) {
            case DONE -> complete(n, c.result());
            case BLOCKED -> {
                state[n.index] = STOPPED;
                abort(RunStatus.BLOCKED, new RunError(n.id, "blocked", ((NodeResult.Blocked) c.result()).message()));
            }
            case SUSPENDED -> {
                state[n.index] = STOPPED;
                NodeResult.Suspended s = (NodeResult.Suspended) c.result();
                suspensions.add(new Suspension(n.id, s.reason(), s.payload()));
            }
            case FATAL -> {
                state[n.index] = STOPPED;
                abort(RunStatus.FAILED, new RunError(n.id, c.error().type(), c.error().message()));
            }
            case CANCELLED -> state[n.index] = STOPPED;
        }
    }

    private void complete(CompiledNode n, NodeResult result) {
        state[n.index] = DONE;
        results.put(n.id, result);
        scope.put(n.id, result.outputs());
        if (result instanceof NodeResult.Completed c && c.usage() != null) {
            addUsage(c.usage().tokens(), c.usage().cost());
        }
        propagate(n, result);
    }

    private void propagate(CompiledNode n, NodeResult result) {
        for (CompiledNode.Out out : n.outs) {
            if (result != null && taken(out.when(), result)) {
                anyTaken[out.target()] = true;
            }
            if (--pending[out.target()] == 0 && state[out.target()] == PENDING) {
                if (anyTaken[out.target()]) {
                    markReady(out.target());
                } else {
                    skip(graph.nodes[out.target()]);
                }
            }
        }
    }

    private static boolean taken(String when, NodeResult result) {
        return switch (result) {
            case NodeResult.Completed c -> when == null || !EdgeDefinition.WHEN_ERROR.equals(when) && when.equals(c.branch());
            case NodeResult.Failed f -> EdgeDefinition.WHEN_ERROR.equals(when);
            case NodeResult.Blocked b -> false;
            case NodeResult.Suspended s -> false;
        };
    }

    private void markReady(int index) {
        state[index] = READY;
        ready.add(index);
    }

    private void skip(CompiledNode n) {
        state[n.index] = SKIPPED;
        events.emit(new RunEvent.NodeSkipped(runId, n.id, n.type, engine.clock.instant(),
                "No incoming path was taken."));
        propagate(n, null);
    }

    /** Nodes in the request's checkpoints are done before anything runs (completed or failed-with-edge only). */
    private void applyCheckpoints() {
        if (request.checkpoints().isEmpty()) {
            return;
        }
        for (CompiledNode n : graph.nodes) {
            NodeResult r = request.checkpoints().get(n.id);
            if (r instanceof NodeResult.Completed || r instanceof NodeResult.Failed) {
                state[n.index] = DONE;
            }
        }
        // propagate in definition-independent order: every DONE node resolves its edges once
        for (CompiledNode n : graph.nodes) {
            if (state[n.index] == DONE) {
                NodeResult r = request.checkpoints().get(n.id);
                results.put(n.id, r);
                scope.put(n.id, r.outputs());
                propagate(n, r);
            }
        }
    }

    private Set<String> resumedIds() {
        if (request.checkpoints().isEmpty()) {
            return Set.of();
        }
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (CompiledNode n : graph.nodes) {
            NodeResult r = request.checkpoints().get(n.id);
            if (r instanceof NodeResult.Completed || r instanceof NodeResult.Failed) {
                ids.add(n.id);
            }
        }
        return ids;
    }

    // ---- aborting -------------------------------------------------------------------------

    boolean isAborted() {
        return abort.get() != null;
    }

    /** Ends the run with {@code status} unless it already ended; first caller wins. Thread-safe. */
    void abort(RunStatus status, RunError error) {
        if (!abort.compareAndSet(null, new Abort(status, error)) || events.isFinished()) {
            return;
        }
        for (AttemptGuard g : active) {
            g.cancel();
        }
        LinkedBlockingQueue<Object> queue = completions;
        if (queue != null) {
            queue.add(WAKE);
        }
        // the watchdog runs on a virtual thread: finishing may call the listener, which may block
        engine.ticker.arm(engine.limits.cancelGrace().toNanos(), () -> engine.virtualThreads.newThread(() -> {
            if (!events.isFinished()) {
                LOG.warn("run {}: nodes did not stop within {}; reporting the run finished", runId, engine.limits.cancelGrace());
                finish(true);
            }
        }).start());
    }

    /** The error given to nodes stopped by an abort. */
    NodeError abortError() {
        Abort a = abort.get();
        if (a == null) {
            return NodeError.permanent("cancelled", "The run was cancelled.");
        }
        return switch (a.status()) {
            case TIMED_OUT -> NodeError.permanent("timed_out", "The run reached its deadline.");
            case CANCELLED -> NodeError.permanent("cancelled", "The run was cancelled.");
            default -> NodeError.permanent("cancelled", "Stopped because node '" + a.error().nodeId() + "' ended the run.");
        };
    }

    void interruptedFromOutside() {
        interruptedFromOutside = true;
        abort(RunStatus.CANCELLED, new RunError(null, "cancelled", "The run was cancelled (its thread was interrupted)."));
    }

    boolean wasInterruptedFromOutside() {
        return interruptedFromOutside;
    }

    void register(AttemptGuard guard) {
        active.add(guard);
        if (abort.get() != null) {
            guard.cancel();
        }
    }

    void unregister(AttemptGuard guard) {
        active.remove(guard);
    }

    private void scheduleDeadline() {
        Instant deadline = request.deadline();
        if (deadline == null) {
            return;
        }
        long nanos = Duration.between(engine.clock.instant(), deadline).toNanos();
        RunError error = new RunError(null, "timed_out", "The run did not finish before its deadline.");
        if (nanos <= 0) {
            abort(RunStatus.TIMED_OUT, error);
        } else {
            deadlineTimer = engine.ticker.arm(nanos, () -> abort(RunStatus.TIMED_OUT, error));
        }
    }

    // ---- finishing ------------------------------------------------------------------------

    private void finish(boolean force) {
        if (events.isFinished()) {
            return;
        }
        engine.ticker.disarm(deadlineTimer);
        if (events.finish(buildOutcome(), force)) {
            engine.finished(this);
        }
    }

    private RunOutcome buildOutcome() {
        Abort a = abort.get();
        RunStatus status;
        RunError error = null;
        if (a != null) {
            status = a.status();
            error = a.error();
        } else if (!suspensions.isEmpty()) {
            status = RunStatus.WAITING_REVIEW;
        } else {
            status = RunStatus.SUCCEEDED;
        }
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (int i : graph.outputNodes) {
            if (results.get(graph.nodes[i].id) instanceof NodeResult.Completed c) {
                outputs.putAll(c.outputs());
            }
        }
        Map<String, NodeResult> checkpoints = new LinkedHashMap<>();
        for (CompiledNode n : graph.nodes) {
            NodeResult r = results.get(n.id);
            if (r != null) {
                checkpoints.put(n.id, r);
            }
        }
        TokenUsage u;
        BigDecimal c;
        synchronized (this) {
            u = usage;
            c = cost;
        }
        return new RunOutcome(runId, status, outputs, error, status == RunStatus.WAITING_REVIEW ? List.copyOf(suspensions) : List.of(),
                checkpoints, u, c, startedAt == null ? engine.clock.instant() : startedAt, engine.clock.instant());
    }

    private synchronized void addUsage(TokenUsage tokens, BigDecimal amount) {
        usage = usage.plus(tokens);
        if (amount != null) {
            cost = cost == null ? amount : cost.add(amount);
        }
    }

    // ---- RunHandle ------------------------------------------------------------------------

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public void cancel() {
        abort(RunStatus.CANCELLED, new RunError(null, "cancelled", "The run was cancelled."));
    }

    @Override
    public CompletableFuture<RunOutcome> outcome() {
        return events.outcome();
    }

    @Override
    public RunOutcome await(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return events.outcome().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("run outcome never fails", e);
        }
    }
}
