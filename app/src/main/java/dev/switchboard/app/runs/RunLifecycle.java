package dev.switchboard.app.runs;

import dev.switchboard.engine.RunStatus;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run lifecycle as persisted. The transition table is the engine's {@link RunStatus#next()}
 * (queued → running → succeeded | failed | blocked | timed_out | cancelled | waiting_review;
 * waiting_review → running | queued | rejected | cancelled | timed_out; running → queued for a
 * durable re-queue; final states have no way out). This class adds what persistence needs: the
 * states a run may be created in, and for each target the states it may be reached from, which
 * every status UPDATE uses as its guard ({@code WHERE status = ANY(?)}) so that two writers can
 * never move a run backwards or out of a final state.
 */
public final class RunLifecycle {

    /** States a run row may be created in. A fast sync run is written once, already final, as if it went through RUNNING. */
    public static final Set<RunStatus> INITIAL = EnumSet.of(RunStatus.QUEUED, RunStatus.RUNNING);

    private static final Map<RunStatus, EnumSet<RunStatus>> PREDECESSORS = new EnumMap<>(RunStatus.class);

    static {
        for (RunStatus target : RunStatus.values()) {
            PREDECESSORS.put(target, EnumSet.noneOf(RunStatus.class));
        }
        for (RunStatus from : RunStatus.values()) {
            for (RunStatus to : from.next()) {
                PREDECESSORS.get(to).add(from);
            }
        }
    }

    private RunLifecycle() {
    }

    public static boolean allowed(RunStatus from, RunStatus to) {
        return from.canMoveTo(to);
    }

    /** The states from which {@code target} may be reached. */
    public static Set<RunStatus> predecessors(RunStatus target) {
        return EnumSet.copyOf(PREDECESSORS.get(target));
    }

    /** Wire names of {@link #predecessors}, for SQL guards. */
    public static String[] predecessorNames(RunStatus target) {
        return PREDECESSORS.get(target).stream().map(RunStatus::wireName).toArray(String[]::new);
    }

    /** Wire names of the non-final states (queued, running, waiting_review). */
    public static List<String> unfinishedNames() {
        return Arrays.stream(RunStatus.values()).filter(s -> !s.isFinal()).map(RunStatus::wireName).toList();
    }
}
