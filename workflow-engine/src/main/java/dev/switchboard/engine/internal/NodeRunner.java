package dev.switchboard.engine.internal;

import dev.switchboard.engine.ModelCallException;
import dev.switchboard.engine.ModelUsage;
import dev.switchboard.engine.NodeError;
import dev.switchboard.engine.NodeFailedException;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.NodeStatus;
import dev.switchboard.engine.RunEvent;
import dev.switchboard.engine.RunEvent.FailureAction;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one node to its final result: attempts with per-attempt timeout, retries with backoff,
 * then the {@code onError} policy. Emits the node's own events (started, failed attempts,
 * finished) so they always precede those of the nodes that depend on it.
 */
final class NodeRunner {

    /** How a node ended, for the coordinator. */
    enum Kind { DONE, BLOCKED, SUSPENDED, FATAL, CANCELLED }

    record Completion(int index, Kind kind, NodeResult result, NodeError error) {
    }

    private final RunExecution run;

    NodeRunner(RunExecution run) {
        this.run = run;
    }

    Completion run(CompiledNode n) {
        long t0 = System.nanoTime();
        run.events.emit(new RunEvent.NodeStarted(run.runId, n.id, n.type, run.engine.clock.instant(), inputsOf(n)));
        for (int attempt = 1; ; attempt++) {
            if (run.isAborted()) {
                return cancelled(n, attempt, t0);
            }
            long a0 = System.nanoTime();
            Duration timeout = n.policy.timeout();
            AttemptGuard guard = new AttemptGuard(Thread.currentThread());
            Instant deadline = deadline(timeout);
            run.register(guard);
            TimeoutTicker.Timer timer = run.engine.ticker.arm(timeout.toNanos(), guard::timeout);
            NodeResult result = null;
            Throwable thrown = null;
            try {
                result = n.executor.execute(new NodeContextImpl(run, n, attempt, guard, deadline));
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                    throw vme;
                }
                thrown = t;
            } finally {
                run.engine.ticker.disarm(timer);
                run.unregister(guard);
            }
            int state = guard.finish();
            if (state == AttemptGuard.CANCELLED) {
                return cancelled(n, attempt, t0);
            }
            NodeError error;
            if (state == AttemptGuard.TIMED_OUT) {
                error = NodeError.retriable("timeout", "The node did not finish within " + human(timeout) + ".");
            } else if (thrown != null) {
                if (thrown instanceof InterruptedException) {
                    // not our interrupt: the thread that runs this run was interrupted from outside
                    run.interruptedFromOutside();
                    return cancelled(n, attempt, t0);
                }
                error = classify(thrown);
            } else if (result == null) {
                error = NodeError.permanent("internal_error", "The node returned no result.");
            } else if (result instanceof NodeResult.Failed f) {
                error = f.error();
            } else {
                return finished(n, result, t0, attempt, null);
            }
            Duration attemptLatency = Duration.ofNanos(System.nanoTime() - a0);
            if (attempt < n.policy.attempts() && error.retriable() && !run.isAborted()) {
                failed(n, attempt, error, attemptLatency, FailureAction.RETRY);
                backoff(n.policy.backoffBefore(attempt + 1));
                continue;
            }
            return giveUp(n, attempt, error, attemptLatency, t0);
        }
    }

    private Completion giveUp(CompiledNode n, int attempt, NodeError error, Duration latency, long t0) {
        return switch (n.policy.onError()) {
            case FAIL -> {
                failed(n, attempt, error, latency, FailureAction.FAIL_RUN);
                yield new Completion(n.index, Kind.FATAL, null, error);
            }
            case EDGE -> {
                failed(n, attempt, error, latency, FailureAction.FOLLOW_ERROR_EDGE);
                yield finished(n, NodeResult.fail(error), t0, attempt, error);
            }
            case DEFAULT -> {
                failed(n, attempt, error, latency, FailureAction.USE_DEFAULT);
                yield finished(n, n.policy.defaultResult(), t0, attempt, error);
            }
        };
    }

    private Completion finished(CompiledNode n, NodeResult result, long t0, int attempts, NodeError recovered) {
        NodeStatus status;
        Kind kind;
        ModelUsage usage = null;
        switch (result) {
            case NodeResult.Completed c -> {
                status = recovered == null ? NodeStatus.SUCCEEDED : NodeStatus.RECOVERED;
                kind = Kind.DONE;
                usage = c.usage();
            }
            case NodeResult.Failed f -> {
                status = NodeStatus.RECOVERED;
                kind = Kind.DONE;
            }
            case NodeResult.Blocked b -> {
                status = NodeStatus.BLOCKED;
                kind = Kind.BLOCKED;
            }
            case NodeResult.Suspended s -> {
                status = NodeStatus.SUSPENDED;
                kind = Kind.SUSPENDED;
            }
        }
        run.events.emit(new RunEvent.NodeFinished(run.runId, n.id, n.type, run.engine.clock.instant(), status, result,
                result.outputs(), Duration.ofNanos(System.nanoTime() - t0), attempts, usage, recovered));
        return new Completion(n.index, kind, result, recovered);
    }

    private Completion cancelled(CompiledNode n, int attempt, long t0) {
        NodeError error = run.abortError();
        failed(n, attempt, error, Duration.ofNanos(System.nanoTime() - t0), FailureAction.CANCELLED);
        return new Completion(n.index, Kind.CANCELLED, null, error);
    }

    private void failed(CompiledNode n, int attempt, NodeError error, Duration latency, FailureAction action) {
        run.events.emit(new RunEvent.NodeFailed(run.runId, n.id, n.type, run.engine.clock.instant(), attempt, error,
                latency, action));
    }

    /** Waits before a retry; cancellation interrupts the wait (the loop then sees the abort). */
    private void backoff(Duration wait) {
        AttemptGuard guard = new AttemptGuard(Thread.currentThread());
        run.register(guard);
        try {
            run.engine.sleeper.sleep(wait);
        } catch (InterruptedException e) {
            if (guard.isCancelled()) {
                return;
            }
            run.interruptedFromOutside();
        } finally {
            run.unregister(guard);
            guard.finish();
        }
    }

    private Instant deadline(Duration timeout) {
        Instant byTimeout = run.engine.clock.instant().plus(timeout);
        Instant runDeadline = run.request.deadline();
        return runDeadline != null && runDeadline.isBefore(byTimeout) ? runDeadline : byTimeout;
    }

    private Map<String, Object> inputsOf(CompiledNode n) {
        if (n.index == run.graph.inputIndex) {
            return run.request.inputs();
        }
        Map<String, Object> in = LinkedHashMap.newLinkedHashMap(n.referencedNodes.length + 1);
        for (String id : n.referencedNodes) {
            Object v = run.scope.get(id);
            if (v != null) {
                in.put(id, v);
            }
        }
        if (n.referencesTrigger) {
            in.put(CelSupport.TRIGGER, run.request.trigger());
        }
        return in;
    }

    static NodeError classify(Throwable t) {
        return switch (t) {
            case NodeFailedException f -> f.error();
            case ModelCallException m -> new NodeError("model_error", m.getMessage(), m.retriable());
            case StackOverflowError so -> NodeError.permanent("internal_error", "The node recursed too deeply.");
            default -> NodeError.retriable("internal_error", "The node failed: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        };
    }

    static String human(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        if (d.toMillis() % 1000 == 0 && d.toSeconds() < 120) {
            return d.toSeconds() + " s";
        }
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
