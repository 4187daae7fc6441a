package dev.switchboard.engine.policy;

import dev.switchboard.engine.NodeResult;
import dev.switchboard.engine.Suspension;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a human is asked to decide, as carried in the payload of a {@link Suspension} made by a
 * {@code review} node or by a policy node with {@code action: review}. The app turns it into a
 * review task and, on a decision, builds the node's checkpoint with {@link #approve} /
 * {@link #approveOnTimeout} to resume the run (a rejection ends the run instead).
 *
 * @param nodeId       the node that asked
 * @param source       that node's type: {@code review} or {@code policy.pii}, {@code policy.judge}, ...
 * @param reason       one sentence: why a human is needed (which policy matched what)
 * @param text         the content under review, as it reached the node
 * @param proposed     what approving without edits lets through (a redacted text for PII; else {@code text})
 * @param flags        the policy's findings (no raw values of redacted spans)
 * @param instructions shown to the reviewer; may be null
 * @param timeout      how long the task stays open
 * @param onTimeout    what a timeout decides
 * @param outputs      outputs the node exposes besides {@code text} and {@code decision} once approved
 */
public record ReviewRequest(String nodeId, String source, String reason, String text, String proposed,
                            List<Map<String, Object>> flags, String instructions, Duration timeout,
                            TimeoutDecision onTimeout, Map<String, Object> outputs) {

    /** What a review decides when nobody answered in time. */
    public enum TimeoutDecision {
        APPROVE, REJECT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static TimeoutDecision fromWireName(String name) {
            return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
                case "approve" -> APPROVE;
                case "reject" -> REJECT;
                default -> throw new IllegalArgumentException("onTimeout must be \"approve\" or \"reject\", was " + name);
            };
        }
    }

    /** How an approval came about; becomes the {@code decision} output. */
    public enum Decision {
        /** Approved as proposed. */
        APPROVED,
        /** Approved with text the reviewer edited. */
        EDITED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ReviewRequest {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        text = text == null ? "" : text;
        proposed = proposed == null ? text : proposed;
        flags = flags == null ? List.of() : List.copyOf(flags);
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(onTimeout, "onTimeout");
        outputs = outputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** Payload keys (the wire contract between the policy kinds and the app). */
    static final String SOURCE = "source";
    static final String TEXT = "text";
    static final String PROPOSED = "proposed";
    static final String FLAGS = "flags";
    static final String INSTRUCTIONS = "instructions";
    static final String TIMEOUT = "timeout";
    static final String ON_TIMEOUT = "onTimeout";
    static final String OUTPUTS = "outputs";

    /** The suspension payload (plain JSON values) this request travels as. */
    public Map<String, Object> toPayload() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(SOURCE, source);
        p.put(TEXT, text);
        p.put(PROPOSED, proposed);
        p.put(FLAGS, flags);
        if (instructions != null) {
            p.put(INSTRUCTIONS, instructions);
        }
        p.put(TIMEOUT, timeout.toString());
        p.put(ON_TIMEOUT, onTimeout.wireName());
        p.put(OUTPUTS, outputs);
        return p;
    }

    /**
     * Reads a suspension made by a policy or review node.
     *
     * @throws IllegalArgumentException when the payload is not one (another kind suspended the run)
     */
    public static ReviewRequest from(Suspension suspension) {
        Map<String, Object> p = suspension.payload();
        if (!(p.get(SOURCE) instanceof String source) || !(p.get(TIMEOUT) instanceof String timeout)
                || !(p.get(ON_TIMEOUT) instanceof String onTimeout)) {
            throw new IllegalArgumentException("node '" + suspension.nodeId() + "' did not suspend for a review");
        }
        Duration t;
        try {
            t = Duration.parse(timeout);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("review timeout '" + timeout + "' is not an ISO-8601 duration", e);
        }
        return new ReviewRequest(suspension.nodeId(), source, suspension.reason() == null ? "Review requested." : suspension.reason(),
                string(p.get(TEXT)), string(p.get(PROPOSED)), flags(p.get(FLAGS)), string(p.get(INSTRUCTIONS)), t,
                TimeoutDecision.fromWireName(onTimeout), map(p.get(OUTPUTS)));
    }

    /**
     * The node's result when a reviewer approves.
     *
     * @param editedText the reviewer's text, or null to approve {@link #proposed()} as it is
     */
    public NodeResult approve(String editedText) {
        boolean edited = editedText != null && !editedText.equals(proposed);
        return result(edited ? editedText : proposed, edited ? Decision.EDITED : Decision.APPROVED, false);
    }

    /** The node's result when the timeout approves ({@link TimeoutDecision#APPROVE}). */
    public NodeResult approveOnTimeout() {
        return result(proposed, Decision.APPROVED, true);
    }

    private NodeResult result(String approved, Decision decision, boolean timedOut) {
        Map<String, Object> out = new LinkedHashMap<>(outputs);
        out.put(TEXT, approved);
        out.put("decision", decision.wireName());
        out.put("timedOut", timedOut);
        return NodeResult.of(out);
    }

    private static String string(Object o) {
        return o instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> flags(Object o) {
        if (!(o instanceof List<?> list)) {
            return List.of();
        }
        List<Map<String, Object>> out = new ArrayList<>(list.size());
        for (Object e : list) {
            if (e instanceof Map<?, ?> m) {
                out.add((Map<String, Object>) m);
            }
        }
        return out;
    }
}
