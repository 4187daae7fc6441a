package dev.switchboard.gptj.internal.generate;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Lifecycle of one request inside the batcher, as an explicit transition table. */
enum SequenceState {
    /** Accepted, waiting for a free batch slot. */
    QUEUED,
    /** In the batch; its prompt is being run through the model, chunk by chunk. */
    PREFILLING,
    /** In the batch; one token per step. */
    DECODING,
    /** Done (stop, length, cancelled or failed); its cache is released. */
    FINISHED;

    private static final Map<SequenceState, Set<SequenceState>> NEXT = Map.of(
            QUEUED, EnumSet.of(PREFILLING, FINISHED),
            PREFILLING, EnumSet.of(PREFILLING, DECODING, FINISHED),
            DECODING, EnumSet.of(DECODING, FINISHED),
            FINISHED, EnumSet.noneOf(SequenceState.class));

    boolean canMoveTo(SequenceState next) {
        return NEXT.get(this).contains(next);
    }

    /** @throws IllegalStateException for a transition the table does not allow */
    SequenceState moveTo(SequenceState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("sequence cannot go from " + this + " to " + next);
        }
        return next;
    }
}
