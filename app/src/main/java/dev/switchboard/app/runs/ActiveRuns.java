package dev.switchboard.app.runs;

import dev.switchboard.engine.RunHandle;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Runs executing in this process: for live traces, cancellation and shutdown. Thread-safe. */
@Component
class ActiveRuns {

    record ActiveRun(RunRecorder recorder, RunHandle handle) {
    }

    private final ConcurrentHashMap<UUID, ActiveRun> runs = new ConcurrentHashMap<>();

    /** Registers a started run; it is removed when its outcome completes (also if it already has). */
    void add(RunRecorder recorder, RunHandle handle) {
        UUID id = recorder.record().id();
        runs.put(id, new ActiveRun(recorder, handle));
        handle.outcome().whenComplete((outcome, error) -> runs.remove(id));
    }

    void remove(UUID runId) {
        runs.remove(runId);
    }

    /** The run if it executes here and belongs to the workspace. */
    Optional<ActiveRun> find(UUID workspaceId, UUID runId) {
        ActiveRun run = runs.get(runId);
        return run != null && run.recorder().record().workspaceId().equals(workspaceId) ? Optional.of(run) : Optional.empty();
    }

    /** The run if it executes here (any workspace). */
    Optional<ActiveRun> get(UUID runId) {
        return Optional.ofNullable(runs.get(runId));
    }

    Collection<ActiveRun> all() {
        return runs.values();
    }

    int size() {
        return runs.size();
    }
}
