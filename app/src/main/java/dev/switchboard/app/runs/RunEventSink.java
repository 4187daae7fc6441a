package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.RunView;

/**
 * Where a streamed run's events go (an SSE response: {@link SseRunSink}; share pages may bring
 * their own). Called in run order, never concurrently; a slow sink slows the run.
 */
public interface RunEventSink {

    RunEventSink NONE = new RunEventSink() {
        @Override
        public void event(String name, Object data) {
        }

        @Override
        public void done(RunView run, boolean recorded) {
        }
    };

    /** A node event ({@code node}, data: the node's trace entry) or a token ({@code token}, {nodeId, text}). */
    void event(String name, Object data);

    /** The run ended; {@code recorded} says whether its final state is in the database. */
    void done(RunView run, boolean recorded);
}
