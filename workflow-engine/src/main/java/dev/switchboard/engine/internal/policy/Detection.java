package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.ModelUsage;
import java.util.List;

/**
 * What a detector concluded about one text.
 *
 * @param findings  what matched (may be non-empty without triggering, e.g. injection signals below
 *                  the threshold)
 * @param triggered whether the node's action applies
 * @param score     0..1 for scoring detectors (injection, judge), else null
 * @param reason    one sentence for the trace and reviewers
 * @param usage     model usage of a judge call, else null
 */
record Detection(List<Finding> findings, boolean triggered, Double score, String reason, ModelUsage usage) {

    Detection {
        findings = List.copyOf(findings);
    }

    static Detection of(List<Finding> findings, String reason) {
        return new Detection(findings, !findings.isEmpty(), null, reason, null);
    }

    static Detection none() {
        return new Detection(List.of(), false, null, null, null);
    }
}
