package dev.switchboard.app.runs;

import dev.switchboard.app.runs.RunViews.RunView;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Writes a run's events as server-sent events: {@code run} (id, status), {@code node} (a trace
 * entry each time a node starts, fails an attempt, finishes or is skipped), {@code token}
 * ({@code {nodeId, text}} of an AI answer as it is generated), and finally {@code done} (the whole
 * run, as {@code GET /api/v1/runs/{id}} returns it). A client that goes away does not stop the
 * run; it is recorded as usual.
 */
public final class SseRunSink implements RunEventSink {

    private static final Logger log = LoggerFactory.getLogger(SseRunSink.class);

    private final SseEmitter emitter;
    private long sequence;
    private boolean gone;

    public SseRunSink(SseEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public synchronized void event(String name, Object data) {
        send(name, data);
    }

    @Override
    public synchronized void done(RunView run, boolean recorded) {
        if (!recorded) {
            send("error", Map.of("code", "run-not-recorded",
                    "message", "The run finished but its result could not be stored"));
        }
        send("done", run);
        if (!gone) {
            emitter.complete();
        }
    }

    private void send(String name, Object data) {
        if (gone) {
            return;
        }
        try {
            emitter.send(SseEmitter.event().id(Long.toString(sequence++)).name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            gone = true;
            log.debug("Stream client went away: {}", e.toString());
        }
    }
}
