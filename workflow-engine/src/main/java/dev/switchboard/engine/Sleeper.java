package dev.switchboard.engine;

import java.time.Duration;

/** Waits between retry attempts; tests inject one that records instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    /** Must respond to interruption (cancellation) by throwing InterruptedException. */
    void sleep(Duration duration) throws InterruptedException;

    Sleeper SYSTEM = duration -> Thread.sleep(duration);
}
