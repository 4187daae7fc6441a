package dev.switchboard.gptj.internal.cpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU backend's decode steps spend their time, for {@code gptj bench --profile}: wall time of
 * each phase of the forward pass, summed over the steps in which every row decodes (one token per
 * sequence; prefill steps are left out, so the figures describe the steady state of batched decoding).
 *
 * <p>Process-wide and off by default: when off, a forward pass pays one read of a static field per phase.
 * Only the engine's batching thread runs forward passes, so the sums need no synchronisation; readers
 * ({@link #snapshot}) call it between runs.
 */
public final class StepProfile {

    /** Phases of one decode step, in the order the forward pass runs them. */
    public enum Phase {
        QKV_FC_IN("q/k/v + fc_in"),
        ATTENTION("attention"),
        OUT_FC_OUT("out + fc_out"),
        LM_HEAD("ln_f + lm_head"),
        OTHER("ln_1, rotary, KV store, residual");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static boolean enabled;
    private static final long[] NANOS = new long[Phase.values().length];
    private static long steps;

    private StepProfile() {
    }

    /** Turns profiling on or off for forward passes that start afterwards, and clears the sums. */
    public static synchronized void enable(boolean on) {
        reset();
        enabled = on;
    }

    static boolean enabled() {
        return enabled;
    }

    /** Clears the sums. */
    public static synchronized void reset() {
        java.util.Arrays.fill(NANOS, 0);
        steps = 0;
    }

    static void add(Phase phase, long nanos) {
        NANOS[phase.ordinal()] += nanos;
    }

    static void step() {
        steps++;
    }

    /** Decode steps profiled since the last reset. */
    public static synchronized long steps() {
        return steps;
    }

    /** Mean milliseconds per decode step of each phase since the last reset (empty if no step was profiled). */
    public static synchronized Map<Phase, Double> snapshot() {
        Map<Phase, Double> ms = new LinkedHashMap<>();
        if (steps == 0) {
            return ms;
        }
        for (Phase p : Phase.values()) {
            ms.put(p, NANOS[p.ordinal()] / 1e6 / steps);
        }
        return ms;
    }
}
