package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.policy.PolicyOptions;
import java.util.ArrayList;
import java.util.List;

/** Builds detectors directly, without a graph, for quality tests. */
final class PolicyTestSupport {

    private PolicyTestSupport() {
    }

    static BlocklistKind.BlocklistDetector blocklist(List<String> terms, boolean wholeWord) {
        List<String> originals = new ArrayList<>();
        List<String> folded = new ArrayList<>();
        List<Boolean> prefix = new ArrayList<>();
        for (String t : terms) {
            boolean p = t.endsWith("*");
            for (String v : BlocklistKind.variants(p ? t.substring(0, t.length() - 1) : t)) {
                originals.add(t);
                folded.add(v);
                prefix.add(p);
            }
        }
        return new BlocklistKind.BlocklistDetector(new AhoCorasick(folded), originals, prefix, wholeWord, "[REDACTED]");
    }

    static PolicyOptions options() {
        return PolicyOptions.defaults();
    }
}
