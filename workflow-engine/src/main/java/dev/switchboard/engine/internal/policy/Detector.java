package dev.switchboard.engine.internal.policy;

import dev.switchboard.engine.NodeContext;

/**
 * The part of a policy kind that inspects text. Compiled once per graph node and shared by all
 * runs, so implementations are immutable and thread-safe.
 */
interface Detector {

    /**
     * @throws Exception fails the node attempt (the node's retry/onError policy applies), e.g. a
     *                   judge whose verdict could not be parsed
     */
    Detection detect(String text, NodeContext ctx) throws Exception;

    /**
     * The text with what {@code detection} found replaced; only called for kinds that accept
     * {@code action: redact}. The default replaces each span with {@code [REDACTED]}.
     */
    default Redaction redact(String text, Detection detection, NodeContext ctx) {
        return Redaction.replaceSpans(text, detection.findings(), f -> "[REDACTED]");
    }
}
