package dev.switchboard.app.twilio;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Hands a run's SMS reply to the webhook request still waiting for it (inline TwiML), when
 * {@code switchboard.twilio.inline-reply-budget} is on. Exactly one side wins each slot: either the
 * sms node takes it before the webhook gives up (the reply goes back inline and is recorded as
 * {@code inline}), or the webhook closes it first (the node sends through the REST API). Only runs
 * executing in the process that received the webhook can reply inline. Thread-safe.
 */
@Component
class InlineReplies {

    private enum State { OPEN, TAKEN, CLOSED }

    /** One waiting webhook: the run it started and the replies, once a node takes the slot. */
    private static final class Slot {
        final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
        final CompletableFuture<List<Twiml.Reply>> replies = new CompletableFuture<>();
    }

    /** The node's handle on a slot it took: it must call {@link #complete} exactly once. */
    interface Taken {
        void complete(List<Twiml.Reply> replies);
    }

    private final ConcurrentHashMap<UUID, Slot> slots = new ConcurrentHashMap<>();

    /** Opens a slot for a run before its transaction commits (the run cannot start earlier). */
    void open(UUID runId) {
        slots.put(runId, new Slot());
    }

    /**
     * For the sms node: takes the run's slot if a webhook still waits on it. The caller then
     * completes it with the replies (an empty list if it ends up sending through REST after all).
     */
    Optional<Taken> take(UUID runId) {
        Slot slot = slots.get(runId);
        if (slot == null || !slot.state.compareAndSet(State.OPEN, State.TAKEN)) {
            return Optional.empty();
        }
        return Optional.of(replies -> slot.replies.complete(List.copyOf(replies)));
    }

    /**
     * For the webhook: waits up to {@code budget} for the run's replies, ending early when
     * {@code finished} says the run ended without taking the slot. Empty when nothing came in time;
     * the slot is closed either way, so a late node sends through REST.
     */
    List<Twiml.Reply> await(UUID runId, Duration budget, java.util.function.BooleanSupplier finished)
            throws InterruptedException {
        Slot slot = slots.get(runId);
        if (slot == null) {
            return List.of();
        }
        try {
            long deadline = System.nanoTime() + budget.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (slot.state.get() == State.OPEN && finished.getAsBoolean())) {
                    if (slot.state.compareAndSet(State.OPEN, State.CLOSED)) {
                        return List.of();
                    }
                    return slot.replies.get(); // taken just now: the node completes it promptly
                }
                try {
                    return slot.replies.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // check whether the run ended, then wait on
                }
            }
        } catch (ExecutionException e) {
            return List.of();
        } finally {
            slots.remove(runId);
        }
    }

    /** Forgets a slot whose webhook failed before waiting (e.g. its transaction rolled back). */
    void discard(UUID runId) {
        slots.remove(runId);
    }
}
