package dev.switchboard.gptj.internal.cpu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU backend's forward passes spend their time, for {@code gptj bench --profile}: wall time of
 * each phase of the forward pass, summed apart for two kinds of step — decode steps, in which every row
 * decodes (one token per sequence: the steady state of batched decoding), and prefill steps, in which
 * no row does (prompt chunks only). Steps that mix the two are left out.
 *
 * <p>Process-wide and off by default: when off, a forward pass pays one read of a static field per phase.
 * Only the engine's batching thread runs forward passes, so the sums need no synchronisation; readers
 * ({@link #snapshot}) call it between runs.
 */
public final class StepProfile {

    /** The kinds of step profiled. */
    public enum Kind {
        DECODE, PREFILL
    }

    /** Phases of one step, in the order the forward pass runs them. */
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
    private static final long[][] NANOS = new long[Kind.values().length][Phase.values().length];
    private static final long[] STEPS = new long[Kind.values().length];

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
        for (long[] n : NANOS) {
            java.util.Arrays.fill(n, 0);
        }
        java.util.Arrays.fill(STEPS, 0);
    }

    static void add(Kind kind, Phase phase, long nanos) {
        NANOS[kind.ordinal()][phase.ordinal()] += nanos;
    }

    static void step(Kind kind) {
        STEPS[kind.ordinal()]++;
    }

    /** Steps of {@code kind} profiled since the last reset. */
    public static synchronized long steps(Kind kind) {
        return STEPS[kind.ordinal()];
    }

    /** Mean milliseconds per step of {@code kind} of each phase since the last reset (empty if none was profiled). */
    public static synchronized Map<Phase, Double> snapshot(Kind kind) {
        Map<Phase, Double> ms = new LinkedHashMap<>();
        long steps = STEPS[kind.ordinal()];
        if (steps == 0) {
            return ms;
        }
        for (Phase p : Phase.values()) {
            ms.put(p, NANOS[kind.ordinal()][p.ordinal()] / 1e6 / steps);
        }
        return ms;
    }
}
