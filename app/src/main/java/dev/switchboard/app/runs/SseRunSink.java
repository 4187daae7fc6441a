package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.RunView;
import java.util.Map;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Writes a run's events as server-sent events: {@code run} (id, status), {@code node} (a trace
 * entry each time a node starts, fails an attempt, finishes or is skipped), {@code token}
 * ({@code {nodeId, text}} of an AI answer as it is generated), and finally {@code done} (the whole
 * run, as {@code GET /api/v1/runs/{id}} returns it). A client that goes away does not stop the
 * run; it is recorded as usual.
 */
public final class SseRunSink implements RunEventSink {

    private final SseChannel channel;

    public SseRunSink(SseEmitter emitter) {
        this.channel = new SseChannel(emitter, "Stream");
    }

    @Override
    public synchronized void event(String name, Object data) {
        channel.send(name, data);
    }

    @Override
    public synchronized void done(RunView run, boolean recorded) {
        if (!recorded) {
            channel.send("error", Map.of("code", "run-not-recorded",
                    "message", "The run finished but its result could not be stored"));
        }
        channel.send("done", run);
        channel.complete();
    }
}
