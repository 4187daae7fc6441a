package dev.switchboard.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Context of one model call.
 *
 * @param run          who is calling (workspace, app, run)
 * @param nodeId       the {@code ai} node
 * @param tokenSink    non-null means the caller wants streaming: pass each text delta as it arrives
 * @param deadline     when the call must be finished (node timeout or run deadline), or null
 * @param cancellation fires when the run is cancelled or the node times out
 */
public record ModelCallContext(RunContext run, String nodeId, Consumer<String> tokenSink, Instant deadline,
                               Cancellation cancellation) {
    public ModelCallContext {
        Objects.requireNonNull(run, "run");
        cancellation = cancellation == null ? Cancellation.NONE : cancellation;
    }

    public boolean streaming() {
        return tokenSink != null;
    }
}
