package dev.switchboard.engine.internal.policy;

import java.util.Locale;

/** What a policy node does when its detector triggers. */
enum Action {
    /** Let the text through unchanged; findings are still recorded (monitoring). */
    PASS,
    /** Replace what matched (placeholders for PII, a replacement string, truncation for length). */
    REDACT,
    /** End the run as blocked with the node's message. */
    BLOCK,
    /** Let the text through and mark the node's outputs as flagged. */
    FLAG,
    /** Suspend the run until a human approves, edits or rejects. */
    REVIEW;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Action fromWireName(String s) {
        return switch (s) {
            case "pass" -> PASS;
            case "redact" -> REDACT;
            case "block" -> BLOCK;
            case "flag" -> FLAG;
            case "review" -> REVIEW;
            default -> null;
        };
    }
}
