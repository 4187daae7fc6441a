package dev.switchboard.engine.internal.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Helpers for sets of spans. */
final class Spans {

    private Spans() {
    }

    /**
     * The spanned findings sorted by start, keeping on overlap the one that starts first (and of
     * those the longest); whole-text findings are dropped.
     */
    static List<Finding> nonOverlapping(List<Finding> findings) {
        List<Finding> sorted = new ArrayList<>();
        for (Finding f : findings) {
            if (f.hasSpan()) {
                sorted.add(f);
            }
        }
        sorted.sort(Comparator.comparingInt(Finding::start).thenComparing(Comparator.comparingInt(Finding::end).reversed()));
        List<Finding> out = new ArrayList<>(sorted.size());
        int end = -1;
        for (Finding f : sorted) {
            if (f.start() >= end) {
                out.add(f);
                end = f.end();
            }
        }
        return out;
    }
}
