package dev.switchboard.gateway.spi;

import dev.switchboard.gateway.GatewayException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stream of events from a provider to the gateway: text deltas, then exactly one terminal event
 * ({@link Done} or {@link Failed}). The provider produces from any thread; the gateway consumes with
 * {@link #poll} on the caller's thread. Thread-safe.
 */
public final class ProviderStream {

    /** What the gateway receives. */
    public sealed interface Event permits Delta, Done, Failed {
    }

    /** A non-empty piece of text. */
    public record Delta(String text) implements Event {
    }

    /** Clean end: the provider's end marker was seen. Carries the aggregated response. */
    public record Done(ProviderResponse response) implements Event {
    }

    /** The stream failed (HTTP error status, error event, transport failure, end without end marker). */
    public record Failed(GatewayException error) implements Event {
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Object cancelLock = new Object();
    private final java.util.List<Runnable> onCancel = new java.util.ArrayList<>();

    // ------------------------------------------------------------------ producer side

    /** Emits text; ignored when empty or after the terminal event. */
    public void delta(String text) {
        if (text != null && !text.isEmpty() && !terminated.get()) {
            events.add(new Delta(text));
        }
    }

    /** Ends the stream cleanly; returns false when it had already ended. */
    public boolean done(ProviderResponse response) {
        if (terminated.compareAndSet(false, true)) {
            events.add(new Done(response));
            return true;
        }
        return false;
    }

    /** Ends the stream with an error; returns false when it had already ended. */
    public boolean fail(GatewayException error) {
        if (terminated.compareAndSet(false, true)) {
            events.add(new Failed(error));
            return true;
        }
        return false;
    }

    public boolean isTerminated() {
        return terminated.get();
    }

    /** Adds something that stops the upstream work; runs at once when the stream was already cancelled. */
    public void onCancel(Runnable action) {
        boolean runNow;
        synchronized (cancelLock) {
            runNow = cancelled.get();
            if (!runNow) {
                onCancel.add(action);
            }
        }
        if (runNow) {
            action.run();
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    // ------------------------------------------------------------------ consumer side

    /** The next event, or null when none arrived within {@code timeout}. */
    public Event poll(Duration timeout) throws InterruptedException {
        return events.poll(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Stops the upstream work (idempotent). Later producer events are dropped. */
    public void cancel() {
        java.util.List<Runnable> actions;
        synchronized (cancelLock) {
            if (!cancelled.compareAndSet(false, true)) {
                return;
            }
            actions = java.util.List.copyOf(onCancel);
            onCancel.clear();
        }
        terminated.set(true);
        actions.forEach(Runnable::run);
    }
}
