package dev.switchboard.gptj.internal.generate;

import java.util.List;

/**
 * Finds stop sequences in generated text as it streams. Text that might be the start of a stop
 * sequence is held back until it is known not to be, so streamed text never has to be taken back;
 * when a stop sequence appears, everything from it on is dropped.
 */
final class StopMatcher {

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean stopped;

    StopMatcher(List<String> stops) {
        this.stops = stops;
    }

    /** Adds new text; returns the part that is safe to emit. */
    String push(String delta) {
        if (stopped) {
            return "";
        }
        if (stops.isEmpty()) {
            return delta;
        }
        held.append(delta);
        int cut = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut >= 0) {
            stopped = true;
            String out = held.substring(0, cut);
            held.setLength(0);
            return out;
        }
        int keep = longestSuffixThatStartsAStop();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** At the end of generation: the text still held back (it turned out not to be a stop sequence). */
    String flush() {
        String out = held.toString();
        held.setLength(0);
        return stopped ? "" : out;
    }

    boolean stopped() {
        return stopped;
    }

    private int longestSuffixThatStartsAStop() {
        String h = held.toString();
        int best = 0;
        for (String s : stops) {
            int max = Math.min(s.length() - 1, h.length());
            for (int len = max; len > best; len--) {
                if (h.regionMatches(h.length() - len, s, 0, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }
}
