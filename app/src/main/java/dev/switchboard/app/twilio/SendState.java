package dev.switchboard.app.twilio;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where one outbound message stands ({@code twilio_sends.state}). The row is the idempotency
 * record of (run, sms node, part): it is claimed ({@code sending}) before Twilio is called, so
 * however often the node runs again (engine retry, resumed run, a second process), a message
 * Twilio may have accepted is never sent again.
 *
 * <pre>
 * pending   → sending | opted_out | inline
 * sending   → accepted | failed | unknown
 * failed    → sending | opted_out | inline      (Twilio surely did not accept it: may try again)
 * unknown   → accepted                         (a status callback proved Twilio had it)
 * accepted, opted_out, inline: final
 * </pre>
 * A row found in {@code sending} by a later attempt belonged to an attempt that died mid-call: it
 * becomes {@code unknown}, never sent again.
 */
enum SendState {
    /** Recorded, not yet attempted. */
    PENDING,
    /** Claimed; the request to Twilio is (or was, if the process died) in flight. */
    SENDING,
    /** Twilio accepted it (has a MessageSid). */
    ACCEPTED,
    /** Twilio surely did not accept it (connect failure, 429, 503, or a 4xx REST error). */
    FAILED,
    /** Twilio may or may not have it (timeout after sending, 500/502/504, crash mid-call). */
    UNKNOWN,
    /** Not sent: the recipient opted out. */
    OPTED_OUT,
    /** Sent as a TwiML reply to the webhook instead of through the REST API. */
    INLINE;

    private static final Map<SendState, Set<SendState>> NEXT = new EnumMap<>(SendState.class);

    static {
        NEXT.put(PENDING, EnumSet.of(SENDING, OPTED_OUT, INLINE));
        NEXT.put(SENDING, EnumSet.of(ACCEPTED, FAILED, UNKNOWN));
        NEXT.put(FAILED, EnumSet.of(SENDING, OPTED_OUT, INLINE));
        NEXT.put(UNKNOWN, EnumSet.of(ACCEPTED));
        NEXT.put(ACCEPTED, EnumSet.noneOf(SendState.class));
        NEXT.put(OPTED_OUT, EnumSet.noneOf(SendState.class));
        NEXT.put(INLINE, EnumSet.noneOf(SendState.class));
    }

    boolean canBecome(SendState next) {
        return NEXT.get(this).contains(next);
    }

    boolean isFinal() {
        return NEXT.get(this).isEmpty();
    }

    /** Wire names of the states {@code target} may follow (the guard of every state change in SQL). */
    static String[] predecessorNames(SendState target) {
        List<String> names = new ArrayList<>();
        for (SendState s : values()) {
            if (s.canBecome(target)) {
                names.add(s.wire());
            }
        }
        return names.toArray(String[]::new);
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SendState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
