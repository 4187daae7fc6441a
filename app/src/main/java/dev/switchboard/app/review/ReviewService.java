package dev.switchboard.app.review;

import dev.switchboard.app.keys.Caller;
import dev.switchboard.app.review.ReviewViews.DecisionView;
import dev.switchboard.app.review.ReviewViews.ReviewPage;
import dev.switchboard.app.review.ReviewViews.ReviewView;
import dev.switchboard.app.runs.NodeTrace;
import dev.switchboard.app.runs.RunRecord;
import dev.switchboard.app.runs.RunService;
import dev.switchboard.app.runs.RunStore;
import dev.switchboard.app.support.Ids;
import dev.switchboard.app.web.ApiException;
import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.RunStatus;
import dev.switchboard.engine.Suspension;
import dev.switchboard.engine.policy.ReviewRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Review tasks: opened when a run waits for a person, decided once (approve, edit-and-approve,
 * reject, or the node's {@code onTimeout}), every decision audited. A decision and the run's
 * move out of {@code waiting_review} commit together: the task row is locked, updated only while
 * {@code open}, and the run claimed only while {@code waiting_review} — so with any number of
 * deciders and instances, exactly one decision resumes or ends a run. The run continues after
 * the commit, from its stored checkpoints.
 */
@Service
public class ReviewService {

    private static final Logger log = LoggerFactory.getLogger(ReviewService.class);
    static final int MAX_TEXT = 1_000_000;
    static final int MAX_REASON = 2_000;

    private final ReviewStore store;
    private final RunStore runs;
    private final RunService runService;
    private final ReviewNotifier notifier;
    private final TransactionTemplate tx;
    private final Ids ids;
    private final Clock clock;

    ReviewService(ReviewStore store, RunStore runs, RunService runService, ReviewNotifier notifier, TransactionTemplate tx,
            Ids ids, Clock clock) {
        this.store = store;
        this.runs = runs;
        this.runService = runService;
        this.notifier = notifier;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Opens a task for each suspended node of a run that just became {@code waiting_review}
     * (idempotent: a node that already has a task keeps it).
     */
    public void open(RunRecord run, List<NodeTrace> trace) {
        for (NodeTrace node : trace) {
            if (!"suspended".equals(node.status()) || !(node.checkpoint() instanceof NodeResult.Suspended s)) {
                continue;
            }
            ReviewRequest request;
            try {
                request = ReviewRequest.from(new Suspension(node.nodeId(), s.reason(), s.payload()));
            } catch (IllegalArgumentException e) {
                log.warn("Run {} waits at node {}, which did not ask for a review: {}", run.id(), node.nodeId(), e.getMessage());
                continue;
            }
            Instant now = now();
            ReviewTask task = new ReviewTask(ids.next(), run.workspaceId(), run.appId(), run.id(), node.nodeId(),
                    request.source(), ReviewStatus.OPEN, request.reason(), request.text(), request.proposed(), request.flags(),
                    request.instructions(), request.onTimeout(), request.outputs(), now, now.plus(request.timeout()),
                    null, null, null, null);
            if (store.insertIfAbsent(task)) {
                log.info("Review task {} opened for run {} node {}", task.id(), run.id(), node.nodeId());
                notifier.opened(view(task, false));
            }
        }
    }

    public ReviewView get(Caller caller, UUID id) {
        return view(store.find(caller.workspaceId(), id).orElseThrow(() -> ApiException.notFound("review", id)), true);
    }

    public ReviewPage list(Caller caller, ReviewStatus status, UUID appId, String cursor, int size) {
        List<ReviewTask> rows = store.list(caller.workspaceId(), status, appId, blankToNull(cursor), size + 1);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            next = new ReviewStore.Cursor(rows.getLast().createdAt(), rows.getLast().id()).encode();
        }
        return new ReviewPage(rows.stream().map(t -> view(t, false)).toList(), next);
    }

    /**
     * Approves (text null) or edits and approves; the run continues with the approved text.
     *
     * @throws ApiException 404 for a task of another workspace or none, 409 when already decided
     *     or the run no longer waits for it
     */
    public ReviewView approve(Caller caller, UUID id, String text) {
        if (text != null && text.length() > MAX_TEXT) {
            throw ApiException.badRequest("text may be at most " + MAX_TEXT + " characters");
        }
        RunService.ResumePlan plan = tx.execute(status -> {
            ReviewTask task = lockOpen(caller.workspaceId(), id);
            NodeResult result = task.request().approve(text);
            ReviewStatus to = "edited".equals(result.outputs().get("decision")) ? ReviewStatus.EDITED : ReviewStatus.APPROVED;
            String approved = (String) result.outputs().get("text");
            Instant now = now();
            store.decide(task.id(), to, now, caller.keyId(), approved, null);
            store.audit(ids.next(), task, "api_key", caller.keyId(), to, approved, null, now);
            return claim(task, result);
        });
        runService.resume(plan);
        return get(caller, id);
    }

    /**
     * Rejects with a reason; the run ends {@code rejected}.
     *
     * @throws ApiException 422 without a reason, 404 / 409 as for {@link #approve}
     */
    public ReviewView reject(Caller caller, UUID id, String reason) {
        if (reason == null || reason.isBlank()) {
            throw ApiException.invalidFields("The request is invalid", List.of(
                    new dev.switchboard.app.web.FieldProblem("reason", "required", "Say why the content is rejected.")));
        }
        if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest("reason may be at most " + MAX_REASON + " characters");
        }
        tx.executeWithoutResult(status -> {
            ReviewTask task = lockOpen(caller.workspaceId(), id);
            Instant now = now();
            store.decide(task.id(), ReviewStatus.REJECTED, now, caller.keyId(), null, reason);
            store.audit(ids.next(), task, "api_key", caller.keyId(), ReviewStatus.REJECTED, null, reason, now);
            endRun(task, "rejected", "Rejected in review: " + reason, now);
        });
        return get(caller, id);
    }

    /**
     * Decides due tasks by their {@code onTimeout}; safe with several instances (locked rows are
     * skipped). Returns how many were decided.
     */
    int decideTimedOut(int limit) {
        List<RunService.ResumePlan> resumes = new ArrayList<>();
        Integer decided = tx.execute(status -> {
            Instant now = now();
            List<ReviewTask> due = store.lockDue(now, limit);
            for (ReviewTask task : due) {
                boolean approve = task.onTimeout() == ReviewRequest.TimeoutDecision.APPROVE;
                String after = approve ? task.proposed() : null;
                String reason = "No decision within " + java.time.Duration.between(task.createdAt(), task.dueAt())
                        + "; onTimeout " + task.onTimeout().wireName();
                store.decide(task.id(), ReviewStatus.TIMED_OUT, now, null, after, approve ? null : reason);
                store.audit(ids.next(), task, "timeout", null, ReviewStatus.TIMED_OUT, after, reason, now);
                if (approve) {
                    if (runs.claimWaiting(task.runId(), runService.runner())) {
                        resumes.add(runService.planResume(task.runId(), task.nodeId(), task.request().approveOnTimeout()));
                    }
                } else {
                    endRun(task, "review_timed_out", "Nobody reviewed the content in time, so it was rejected.", now);
                }
            }
            return due.size();
        });
        resumes.forEach(runService::resume);
        return decided == null ? 0 : decided;
    }

    /** Opens tasks for runs left waiting without one (a failed listener, a crash in between). */
    int repairWaitingRuns(int limit) {
        int repaired = 0;
        for (UUID runId : store.waitingRunsWithoutOpenTask(limit)) {
            var stored = runs.load(runId);
            if (stored.isPresent() && stored.get().status() == RunStatus.WAITING_REVIEW) {
                open(stored.get().record(), stored.get().trace());
                repaired++;
            }
        }
        return repaired;
    }

    private ReviewTask lockOpen(UUID workspaceId, UUID id) {
        ReviewTask task = store.lock(workspaceId, id).orElseThrow(() -> ApiException.notFound("review", id));
        if (task.status() != ReviewStatus.OPEN) {
            throw ApiException.conflict("The review was already decided: " + task.status().wireName())
                    .with("reviewId", id).with("status", task.status().wireName());
        }
        return task;
    }

    /** Claims the waiting run for this decision and plans its continuation; 409 (rolled back) when it no longer waits. */
    private RunService.ResumePlan claim(ReviewTask task, NodeResult result) {
        if (!runs.claimWaiting(task.runId(), runService.runner())) {
            throw ApiException.conflict("The run no longer waits for this review (it was cancelled or ended)")
                    .with("runId", task.runId());
        }
        return runService.planResume(task.runId(), task.nodeId(), result);
    }

    private void endRun(ReviewTask task, String type, String message, Instant now) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("nodeId", task.nodeId());
        error.put("type", type);
        error.put("message", message);
        if (!runs.endWaiting(task.runId(), RunStatus.REJECTED, error, now)) {
            log.info("Run {} no longer waited when its review {} was decided", task.runId(), task.id());
        }
    }

    ReviewView view(ReviewTask t, boolean withHistory) {
        DecisionView decision = t.decidedAt() == null ? null
                : new DecisionView(t.decidedAt(), t.decidedBy(), t.decidedText(), t.decidedReason());
        return new ReviewView(t.id(), t.runId(), t.appId(), t.nodeId(), t.source(), t.status().wireName(), t.reason(),
                t.content(), t.proposed(), t.flags(), t.instructions(), t.onTimeout().wireName(), t.createdAt(), t.dueAt(),
                decision, withHistory ? store.history(t.id()) : null);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
